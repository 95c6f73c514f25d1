import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains("Harp proxy 'default' started: mode record (-Dharp.mode=record)") : log
assert log.contains("Harp proxy 'default' started: mode replay (-Dharp.mode=replay)") : log
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0') : log

def har = new JsonSlurper().parse(new File(basedir, 'src/test/resources/harp/integration-tests.har'))
def urls = har.log.entries.collect { it.request.url }
assert urls.size() == 1 && urls[0].startsWith('http://127.0.0.1:47619/greeting?name=harp&ts=') : urls

def summary = new JsonSlurper().parse(new File(basedir, 'target/harp/default/summary.json'))
assert summary.mode == 'replay'
assert summary.hits == 1
assert summary.misses == 0
assert summary.unused == 0
assert summary.stoppedBy == 'harp:stop'
assert summary.port > 0
return true
