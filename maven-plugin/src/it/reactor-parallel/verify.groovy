import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('thread count of 2') : log
assert !log.contains('not marked as thread-safe') : log
def ports = ['module-a', 'module-b'].collect { module ->
    def summary = new JsonSlurper().parse(new File(basedir, module + '/target/harp/default/summary.json'))
    assert summary.mode == 'passthrough'
    assert summary.stoppedBy == 'harp:stop'
    assert log.contains("Harp proxy 'default' started: mode passthrough (configured passthrough), HAR ") : log
    summary.port
}
assert ports[0] > 0 && ports[1] > 0
assert ports[0] != ports[1] : 'each module has its own proxy: ' + ports
return true
