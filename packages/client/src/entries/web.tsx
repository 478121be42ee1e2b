import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { AgentConsole } from '../console/AgentConsole'
import { CustomerChat } from '../ui/CustomerChat'
import { Home } from '../ui/Home'
import '../ui/styles.css'

const PAGES: Record<string, () => React.JSX.Element> = {
  '/chat': CustomerChat,
  '/agent': () => <AgentConsole />,
  '/dashboard': () => <AgentConsole initialView="dashboard" />,
  '/staffing': () => <AgentConsole initialView="staffing" />,
  '/knowledge': () => <AgentConsole initialView="knowledge" />,
}
const Page = PAGES[location.pathname.replace(/\/$/, '')] ?? Home

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Page />
    </StrictMode>,
  )
}
