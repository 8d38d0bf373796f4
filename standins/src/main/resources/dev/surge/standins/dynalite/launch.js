// Starts dynalite for Surge on the host and port given (port 0 = any free port) and prints
// "SURGE_DYNALITE_LISTENING <port>" once it accepts connections.
// It ignores SIGINT (see below) and exits on SIGTERM or when its standard input closes: the JVM
// that started it holds the other end, so the process cannot outlive it, even when the JVM is
// killed with SIGKILL.
'use strict'
const dynalite = require('dynalite')
const crc32 = require('buffer-crc32') // dynalite's own dependency, for the answers' x-amz-crc32

const args = process.argv.slice(2)
function arg (name, fallback) {
  const i = args.indexOf('--' + name)
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback
}
const host = arg('host', '127.0.0.1')
const port = parseInt(arg('port', '0'), 10)
const createTableMs = parseInt(arg('createTableMs', '50'), 10)

const server = dynalite({ createTableMs, deleteTableMs: createTableMs, updateTableMs: createTableMs })
// No web page may drive or read the local table (a cross-site form post or fetch, or a page that
// rebinds its DNS name to 127.0.0.1): the same rule as every server of the local cloud
// (dev.surge.core.LoopbackRequests). dynalite itself grants CORS to any origin; none is granted here.
function isLoopbackName (name) {
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)
}
function hostName (header) {
  const h = header.trim().toLowerCase()
  if (h.startsWith('[')) {
    const end = h.indexOf(']')
    return end < 0 ? h : h.substring(1, end)
  }
  const colon = h.indexOf(':')
  return colon < 0 ? h : h.substring(0, colon)
}
function refusal (req) {
  const target = req.url || ''
  if (!target.startsWith('/') || target.startsWith('//')) {
    return 'only a path is accepted as the request\'s target, not another address'
  }
  const host = req.headers.host
  if (!host || !isLoopbackName(hostName(host))) {
    return 'this local server answers only requests addressed to localhost or 127.0.0.1'
  }
  if (req.headers.origin !== undefined) {
    return 'requests from web pages (Origin \'' + req.headers.origin + '\') are refused by the local cloud'
  }
  const site = req.headers['sec-fetch-site']
  if (site !== undefined && site.trim().toLowerCase() !== 'none') {
    return 'requests from web pages (Sec-Fetch-Site \'' + site + '\') are refused'
  }
  if (req.method === 'OPTIONS') {
    return 'the local cloud grants no cross-origin access'
  }
  return null
}
const served = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (req, res) => {
  const why = refusal(req)
  if (why) {
    req.resume()
    res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end('surge: ' + why + '\n')
    return
  }
  const setHeader = res.setHeader
  res.setHeader = function (name, value) {
    if (String(name).toLowerCase().startsWith('access-control-')) return this
    return setHeader.call(this, name, value)
  }
  describeTablesAsDynamoDbDoes(req, res)
  for (const l of served) l.call(server, req, res)
  // dynalite's handler throws a request's error, so a client that hangs up while sending its body
  // ("aborted": a worker killed mid-write, an SDK call interrupted) would stop the whole process.
  // Such a request has no one left to answer: its connection is closed, and the table stays up.
  req.removeAllListeners('error')
  req.on('error', () => res.destroy())
})

// A table's description, as DynamoDB documents it (TableDescription), has DeletionProtectionEnabled
// and WarmThroughput; dynalite's has neither. Here no table is protected from deletion (a
// DeleteTable deletes it), so the first is false. The second is what DynamoDB gives a table that
// asked for none: an on-demand table's 12,000 reads and 4,000 writes per second, a provisioned
// table's capacity (the same for each global secondary index). Both are added to the answers that
// describe a table, with their checksum and length redone.
const TABLE_ANSWERS = {
  DescribeTable: 'Table',
  CreateTable: 'TableDescription',
  UpdateTable: 'TableDescription',
  DeleteTable: 'TableDescription'
}
function describeTablesAsDynamoDbDoes (req, res) {
  const key = TABLE_ANSWERS[String(req.headers['x-amz-target'] || '').split('.')[1]]
  if (!key) return
  const end = res.end
  res.end = function (body, ...rest) {
    if (res.statusCode === 200 && typeof body === 'string') {
      let data
      try {
        data = JSON.parse(body)
      } catch (e) {
        data = null
      }
      const table = data && data[key]
      if (table && typeof table === 'object' && table.DeletionProtectionEnabled === undefined) {
        table.DeletionProtectionEnabled = false
        const onDemand = (table.BillingModeSummary || {}).BillingMode === 'PAY_PER_REQUEST'
        addWarmThroughput(table, onDemand)
        for (const index of table.GlobalSecondaryIndexes || []) addWarmThroughput(index, onDemand)
        body = JSON.stringify(data)
        this.setHeader('x-amz-crc32', crc32.unsigned(body))
        this.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'))
      }
    }
    return end.call(this, body, ...rest)
  }
}
function addWarmThroughput (description, onDemand) {
  if (description.WarmThroughput !== undefined) return
  const provisioned = description.ProvisionedThroughput || {}
  description.WarmThroughput = onDemand || !provisioned.ReadCapacityUnits
    ? { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' }
    : {
        ReadUnitsPerSecond: provisioned.ReadCapacityUnits,
        WriteUnitsPerSecond: provisioned.WriteCapacityUnits,
        Status: 'ACTIVE'
      }
}
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
// Ctrl-C at a terminal signals the whole foreground process group, this child too: it is ignored
// here, so the table stays up while the JVM that started it stops its workers and sums up the run;
// that JVM then stops it (standard input's end, or SIGTERM).
process.on('SIGINT', () => {})
