import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains("Harp proxy 'default' started: mode record (configured record)") : log
assert log.contains('this test fails on purpose') : log
assert !log.contains('harp-maven-plugin') || !(log =~ /--- harp:[^:]+:stop/) : 'harp:stop never ran:\n' + log
assert log =~ /\[WARNING\] Harp proxy 'default' of it\.harp:backstop:jar:1 was still running when the build of it\.harp:backstop:jar:1 failed before harp:stop; stopped by the backstop\. Harp proxy 'default' stopped: mode record, 1 entry recorded/ : log

def har = new JsonSlurper().parse(new File(basedir, 'src/test/resources/harp/integration-tests.har'))
assert har.log.entries.size() == 1
assert har.log.entries[0].request.url.endsWith('/backstop')
assert har.log.entries[0].response.content.text == 'recorded before the failure'
def leftovers = new File(basedir, 'src/test/resources/harp').list().findAll { it != 'integration-tests.har' }
assert leftovers.isEmpty() : 'no temporary file left beside the HAR: ' + leftovers

def summary = new JsonSlurper().parse(new File(basedir, 'target/harp/default/summary.json'))
assert summary.stoppedBy == 'backstop'
assert summary.recordedEntries == 1
try {
    new Socket('127.0.0.1', summary.port as int).close()
    assert false : 'nothing listens on the proxy port any more'
} catch (ConnectException expected) {
}

// usage data: the session the backstop ended is written too, failed (the tests did not all run)
def uses = new File(basedir, 'target/harp/uses').listFiles().findAll { it.name.endsWith('.json') }
assert uses.size() == 1 : uses
def use = new JsonSlurper().parse(uses[0])
assert use.face == 'maven'
assert use.outcome == 'failed'
assert use.mode == 'record'
assert use.recorded == 1
assert use.existed == false
return true
