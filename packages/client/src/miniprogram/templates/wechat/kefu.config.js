// Where the kefu3d server runs. Add its https domain to the mini-program's socket and request
// domain lists in the WeChat console; in the IDE, "do not verify domains" allows a local server.
module.exports = { server: 'http://127.0.0.1:8080' }
