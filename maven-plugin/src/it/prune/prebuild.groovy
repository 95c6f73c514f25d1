import java.security.MessageDigest
import java.time.Instant

// One use of ApiTest/one.har by the test ApiTest.one(): it passed, replayed entry 0 and never asked for entry 1.
// OldTest/old.har has no use: no test opened it.
def fixture = new File(basedir, 'src/test/resources/harp/ApiTest/one.har').canonicalFile
def sha = MessageDigest.getInstance('SHA-256').digest(fixture.bytes).encodeHex().toString()
def now = Instant.now().toString()
def uses = new File(basedir, 'target/harp/uses')
uses.mkdirs()
// the build's compiled test classes: ApiTest is there, OldTest and OldIT are not (deleted), so their fixtures may go
new File(basedir, 'target/test-classes/it').mkdirs()
new File(basedir, 'target/test-classes/it/ApiTest.class').bytes = [0xCA, 0xFE] as byte[]
// compiled before the tests ran (usage data newer than the classes, as after mvn verify)
new File(basedir, 'target/test-classes/it/ApiTest.class').setLastModified(Instant.parse('2026-01-01T00:00:00Z').toEpochMilli())
new File(uses, '20260101T000000.000-1-1-abcdef01.json').text = """{
  "harpUsage": 1,
  "fixture": "${fixture.path.replace('\\', '\\\\')}",
  "face": "junit",
  "user": "ApiTest.one()",
  "userId": "[engine:junit-jupiter]/[class:it.ApiTest]/[method:one()]",
  "outcome": "passed",
  "mode": "replay",
  "modeSource": "default",
  "started": "${now}",
  "finished": "${now}",
  "existed": true,
  "sha256": "${sha}",
  "entries": 2,
  "hits": 1,
  "unused": [1],
  "recorded": 0,
  "selection": "",
  "misses": []
}
"""
return true
