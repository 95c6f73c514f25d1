import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert (log =~ /Harp proxy 'default' started: mode passthrough/).count == 1 : log
assert log =~ /\[ERROR\] Failed to execute goal dev\.harp:harp-maven-plugin:[^:]+:start \(second\) on project start-same-id: Harp: a proxy with id 'default' is already running for it\.harp:start-same-id:pom:1 on port \d+; run harp:stop first, or give this execution another <id>/ : log
assert log.contains("Harp proxy 'default' of it.harp:start-same-id:pom:1 was still running when the build of it.harp:start-same-id:pom:1 failed before harp:stop; stopped by the backstop.") : log
def summary = new JsonSlurper().parse(new File(basedir, 'target/harp/default/summary.json'))
assert summary.stoppedBy == 'backstop'
return true
