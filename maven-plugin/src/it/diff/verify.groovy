def log = new File(basedir, 'build.log').text
// 1: the drift as warnings, the build passes
assert log.contains('[WARNING] harp/user.har: GET https://api.example.test/v1/user/7 (entry #1)')
assert log.contains('[WARNING]   breaking status: 200 -> 201')
assert log.contains('[WARNING]   breaking $.id: type changed, number 7 -> string "7"')
assert log.contains('[WARNING]   breaking $.nickname: member removed (was string "ada")')
assert log.contains('[WARNING] Harp compared 1 file, 1 request: drift in 1 request (3 breaking changes)')
assert !log.contains('$.seen') : 'a timestamp was reported'
// 2: failOnDrift fails the build with the summary, and the JSON report is written
assert log.contains('[ERROR]   breaking status: 200 -> 201')
assert log.contains('Harp compared 1 file, 1 request: drift in 1 request (3 breaking changes) (-Dharp.failOnDrift=false only prints it)')
assert log.contains('BUILD FAILURE')
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/drift.json'))
assert json.drift == true
assert json.changedRequests[0].changes*.where == ['status', '$.id', '$.nickname']
// 3: a folder compared with itself
assert log.contains('[INFO] Harp compared 1 file, 1 request: no drift')
assert log.contains('BUILD SUCCESS')
return true
