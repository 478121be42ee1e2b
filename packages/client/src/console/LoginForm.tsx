import { useState } from 'react'
import { ApiError, api, type IssuedSession } from '../net/api'

/** Staff sign-in. */
export function LoginForm({ onLogin }: { onLogin(session: IssuedSession): void }) {
  const [login, setLogin] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const submit = async () => {
    setBusy(true)
    setError(undefined)
    try {
      onLogin(await api.agentLogin(login, password))
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The server cannot be reached')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="login"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <h1>Agent sign-in</h1>
      <label>
        Login
        <input
          name="login"
          autoComplete="username"
          value={login}
          onChange={(event) => setLogin(event.target.value)}
        />
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      {error && <div className="error">{error}</div>}
      <button type="submit" disabled={busy || !login || !password}>
        Sign in
      </button>
    </form>
  )
}
