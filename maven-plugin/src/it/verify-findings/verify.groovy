def log = new File(basedir, 'build.log').text
// One line per finding, files in path order, paths relative to the project; then the summary fails the build.
def expected = [
    '[ERROR] src/test/resources/harp/ApiTest/leaky.har: entry #1: unredacted secret in query parameter token (value under a secret name)',
    '[ERROR] src/test/resources/harp/ApiTest/leaky.har: entry #2: unredacted secret in request body JSON member $.password (value under a secret name)',
    '[ERROR] src/test/resources/harp/ApiTest/leaky.har: entry #3: unredacted secret in request header X-Trace (JWT)',
    '[ERROR] src/test/resources/harp/broken.har:5:1: unexpected end-of-input within/between Object entries inside an entry (log.entries[0].request.method)',
]
int at = -1
expected.each {
    int found = log.indexOf(it)
    assert found > at : 'missing or out of order: ' + it + '\nin:\n' + log
    at = found
}
assert log.contains('Harp checked 2 files: 4 findings (1 malformed file, 3 secrets)')
assert log.contains('BUILD FAILURE')
// -Dharp.failOnFindings=false: the same lines as warnings, and the build passes
assert log.contains('[WARNING] src/test/resources/harp/ApiTest/leaky.har: entry #3: unredacted secret in request header X-Trace (JWT)')
assert log.contains('[WARNING] Harp checked 2 files: 4 findings (1 malformed file, 3 secrets)')
assert log.contains('BUILD SUCCESS')
// -Dharp.skip
assert log.contains('Harp: verify skipped (harp.skip)')
['tok-planted-123', 'pw-planted-456', 'eyJhbGciOiJIUzI1NiJ9'].each {
    assert !log.contains(it) : 'a secret value is in the build log: ' + it
}
return true
