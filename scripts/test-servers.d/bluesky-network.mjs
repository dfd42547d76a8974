// A real Bluesky network on loopback for socialaudit's tests: PLC, PDS, AppView (bsky), bsync
// and ozone from @atproto/dev-env's TestNetwork, the same code Bluesky's own tests run.
//
// Started by scripts/test-servers (which provides Node 22, PostgreSQL and Redis). Writes the
// URLs as JSON to the file named by $BLUESKY_READY_FILE once every service answers, keeps the
// AppView indexing the PDS's firehose (processAll every few hundred ms, as the dev-env's own
// tests do after each write), and closes everything on SIGTERM/SIGINT.
import { writeFileSync, renameSync } from 'node:fs'
import { TestNetwork } from '@atproto/dev-env'

const readyFile = process.env.BLUESKY_READY_FILE
const schema = process.env.DB_POSTGRES_SCHEMA || 'socialaudit'

const network = await TestNetwork.create({
  dbPostgresSchema: schema,
  pds: { hostname: 'localhost', enableDidDocWithSession: true },
  bsky: { dbPostgresSchema: `bsky_${schema}` },
})

let stopping = false
let busy = false
const tick = async () => {
  if (stopping || busy) return
  busy = true
  try {
    await network.processAll(10_000)
  } catch (err) {
    console.error('processAll:', err?.message ?? err)
  } finally {
    busy = false
  }
}
const timer = setInterval(tick, 250)

const urls = {
  BLUESKY_PDS: network.pds.url,
  BLUESKY_APPVIEW: network.bsky.url,
  BLUESKY_PLC: network.plc.url,
}
if (readyFile) {
  writeFileSync(`${readyFile}.tmp`, JSON.stringify(urls))
  renameSync(`${readyFile}.tmp`, readyFile)
}
console.log('ready', JSON.stringify(urls))

const stop = async () => {
  if (stopping) return
  stopping = true
  clearInterval(timer)
  try {
    await network.close()
  } finally {
    process.exit(0)
  }
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
