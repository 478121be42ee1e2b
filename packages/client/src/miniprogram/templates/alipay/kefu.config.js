// Where the kefu3d server runs. Add its https domain to the mini-program's socket and request
// domain lists in the Alipay console; in the IDE, skipping domain checks allows a local server.
module.exports = { server: 'http://127.0.0.1:8080' }
