import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def harp = new File(basedir, 'src/test/resources/harp')

// 1: the narrowed run replayed one test; its use says how the run was narrowed
// 2: pruning after it: only that test's own fixture loses its unused entry
assert log.contains('removed 1 of 2 entries from src/test/resources/harp/ApiTest/orders.har') : log
// (the test filtered out of the run is written by harp-junit as a skipped use of its own fixture)
assert log =~ /leave src\/test\/resources\/harp\/ApiTest\/users\.har: ApiTest\.users\(\) did not run/ : log
assert log =~ /leave src\/test\/resources\/harp\/RetiredTest\/gone\.har: no test opened it, but the run was narrowed/ : log
assert log.contains('Harp: removed 1 entry, 0 fixture files and 0 side files') : log

// 3: a complete build writes the report from the tests' usage data
assert log.contains('report: ' + new File(basedir, 'target/harp/report.html').canonicalPath) : log
def page = new File(basedir, 'target/harp/report.html').text
['id="summary"', 'id="misses"', 'id="fixtures"', 'id="unused"', 'id="orphans"', 'id="blocked"'].each {
    assert page.contains(it) : it + ' missing from the page'
}
def summary = new JsonSlurper().parse(new File(basedir, 'target/harp/summary.json'))
assert summary.counts.unusedEntries == 1 : summary.counts
assert summary.counts.orphans == 1 : summary.counts
assert summary.counts.misses == 0 : summary.counts

// 4: the dry run, 5: the prune
assert log.contains('remove 1 of 2 entries from src/test/resources/harp/ApiTest/users.har:') : log
assert log.contains('GET http://api.example.test/users/legacy -> 200') : log
assert log.contains('Harp: removed 1 entry, 1 fixture file and 0 side files') : log
assert log.contains('delete src/test/resources/harp/RetiredTest/gone.har (no test opened it)') : log
assert log.contains('Harp: dry run, nothing changed; -Dharp.prune.apply=true removes it') : log
assert log =~ /leave src\/test\/resources\/harp\/DisabledTest\/later\.har: it\.harp\.DisabledTest did not run/ : log

def orders = new File(harp, 'ApiTest/orders.har').text
assert orders.contains('http://api.example.test/orders"') && !orders.contains('/orders/archived') : orders
def users = new File(harp, 'ApiTest/users.har').text
assert users.contains('http://api.example.test/users"') && !users.contains('/users/legacy') : users
assert !new File(harp, 'RetiredTest/gone.har').exists() : 'the retired test\'s fixture goes'
assert new File(harp, 'DisabledTest/later.har').exists() : 'the disabled class\'s fixture stays'
return true
