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
return true
