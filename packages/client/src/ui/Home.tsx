/** The landing page of the default run: where to go to try each side. */
export function Home() {
  return (
    <div className="home">
      <h1>kefu3d</h1>
      <p>Customer service for mini-programs and the web.</p>
      <div className="cards">
        <a className="card" href="/chat">
          <strong>Customer chat</strong>
          <span>Open a chat as a guest and get routed to an agent.</span>
        </a>
        <a className="card" href="/agent">
          <strong>Agent console</strong>
          <span>Sign in (demo: alice / kefu-demo) and answer customers.</span>
        </a>
      </div>
    </div>
  )
}
