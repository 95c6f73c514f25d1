def log = new File(basedir, 'build.log').text
assert log.contains('remove 1 of 2 entries from src/test/resources/harp/ApiTest/one.har:') : log
assert log.contains('  entry 1: GET https://api.test/unused -> 200') : log
assert log.contains('delete src/test/resources/harp/OldTest/old.har (no test opened it)') : log
assert log.contains('Harp: dry run, nothing changed; -Dharp.prune.apply=true removes it') : log
assert log.contains('Harp: prune refuses to run in a build narrowed with -Dtest=ApiTest') : log
assert log.contains('Harp: removed 1 entry, 1 fixture file and 0 side files') : log
assert log.contains('deleted more/OldIT/x.har (no test opened it)') : log
def one = new File(basedir, 'src/test/resources/harp/ApiTest/one.har').text
assert one.contains('https://api.test/used') && !one.contains('https://api.test/unused') : one
assert one.contains('"name": "hand"') : 'the creator is kept:\n' + one
assert !new File(basedir, 'src/test/resources/harp/OldTest/old.har').exists()
assert !new File(basedir, 'more/OldIT/x.har').exists() : 'the orphan of the second folder goes:\n' + log
assert log.contains('leave src/test/resources/harp/ApiTest/one.har: the file changed after ApiTest.one() used it') : log
// a HAR kept as plain test data outside the fixture folder (src/test/resources/harp) is never pruned
assert new File(basedir, 'src/test/resources/data/plain.har').exists() : log
assert !log.contains('data/plain.har') : log
return true
