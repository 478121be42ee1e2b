// The baseline for bench:chat: a bare Socket.IO relay. No persistence, no routing, no auth:
// a customer's message goes straight to the agent socket it names.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'

const http = createServer()
const io = new Server(http, { transports: ['websocket'], serveClient: false })
io.on('connection', (socket) => {
  socket.on('join', (room: string) => void socket.join(room))
  socket.on('msg', (to: string, body: string) => void io.to(to).emit('msg', body))
})
http.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', port: (http.address() as AddressInfo).port })}\n`,
  )
})
