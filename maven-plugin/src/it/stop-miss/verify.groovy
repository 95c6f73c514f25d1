import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains("Harp proxy 'default' started: mode replay (configured replay)") : log
assert log =~ /\[ERROR\] Failed to execute goal dev\.harp:harp-maven-plugin:[^:]+:stop/ : log
assert log.contains('Harp: 1 request got no recorded response from ') : log
assert log.contains('GET http://127.0.0.1:1/orders?ts=123') : log
assert log.contains('<ignoreQueryParams>ts</ignoreQueryParams>') : 'the fix is spelled as a POM element:\n' + log
assert !log.contains('--ignore-query-param') : log

def summary = new JsonSlurper().parse(new File(basedir, 'target/harp/default/summary.json'))
assert summary.mode == 'replay'
assert summary.misses == 1
assert summary.hits == 0
assert summary.unused == 1
assert summary.stoppedBy == 'harp:stop'

// usage data: one file for the session harp:stop ended, with the miss, its closest entry and the unused entry
def uses = new File(basedir, 'target/harp/uses').listFiles().findAll { it.name.endsWith('.json') }
assert uses.size() == 1 : uses
def use = new JsonSlurper().parse(uses[0])
assert use.harpUsage == 1
assert use.face == 'maven'
assert use.user == 'harp:start (default)' : use.user
assert use.userId == 'default'
assert use.outcome == 'failed' : 'Failsafe summary: the IT failed'
assert use.selection == 'it.test=OrdersIT' : use.selection
assert use.mode == 'replay'
assert use.existed == true
assert use.sha256 ==~ /[0-9a-f]{64}/
assert use.entries == 1
assert use.hits == 0
assert use.unused == [0]
assert use.misses.size() == 1
assert use.misses[0].live.url.contains('ts=123')
assert use.misses[0].closest[0].entries == [0]
assert use.misses[0].text.contains('<ignoreQueryParams>ts</ignoreQueryParams>')
assert use.fixture.endsWith('integration-tests.har') : use.fixture
return true
