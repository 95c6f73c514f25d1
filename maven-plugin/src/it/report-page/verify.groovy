import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS') : log
assert log.contains('Harp checked 2 files: 0 findings') : log
assert log.contains('[INFO] Harp report: 1 use by 1 test of 2 fixtures, mode replay (from CI=true): 1 hit, 1 miss') : log
assert log.contains('[INFO]     ApiTest.items(): 1 miss in src/test/resources/harp/ApiTest/items.har (failed)') : log
assert log.contains('[INFO]   unused entries: 1 in 1 fixture; fixture files no test opened: 1; left alone by pruning: 2') : log
// left alone: ApiTest/items.har (its test failed) and old ones/orphan.har (no test class's folder)
def page = new File(basedir, 'target/harp/report.html')
assert log.contains('[INFO]   report: ' + page.canonicalPath) : log
['summary', 'misses', 'fixtures', 'unused', 'orphans', 'blocked'].each { assert page.text.contains("<section id=\"${it}\">") }
assert page.text.contains('<tr class="query diff"><th>?page')
assert page.text.contains('href="../../src/test/resources/harp/old%20ones/orphan.har"')
def json = new JsonSlurper().parse(new File(basedir, 'target/harp/summary.json'))
assert json.harpReport == 1
assert json.counts.orphans == 1 && json.counts.unusedEntries == 1 && json.counts.misses == 1
assert json.fixtures.find { it.path == 'src/test/resources/harp/old ones/orphan.har' }.orphan
// harp:report with <out>: links from there still reach the files
def elsewhere = new File(basedir, 'target/elsewhere/report.html')
assert elsewhere.isFile()
assert elsewhere.text.contains('href="../../src/test/resources/harp/old%20ones/orphan.har"')
assert new File(basedir, 'target/elsewhere/summary.json').isFile()
return true
