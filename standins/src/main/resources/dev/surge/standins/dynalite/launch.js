// Starts dynalite for Surge on the host and port given (port 0 = any free port) and prints
// "SURGE_DYNALITE_LISTENING <port>" once it accepts connections.
// It exits when its standard input closes: the JVM that started it holds the other end, so the
// process cannot outlive it, even when the JVM is killed with SIGKILL.
'use strict'
const dynalite = require('dynalite')

const args = process.argv.slice(2)
function arg (name, fallback) {
  const i = args.indexOf('--' + name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback
}
const host = arg('host', '127.0.0.1')
const port = parseInt(arg('port', '0'), 10)
const createTableMs = parseInt(arg('createTableMs', '50'), 10)

const server = dynalite({ createTableMs, deleteTableMs: createTableMs, updateTableMs: createTableMs })
server.on('error', (e) => {
  console.log('SURGE_DYNALITE_ERROR ' + (e.code || 'ERROR') + ' ' + e.message)
  process.exit(3)
})
server.listen(port, host, () => {
  console.log('SURGE_DYNALITE_LISTENING ' + server.address().port)
})

process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
