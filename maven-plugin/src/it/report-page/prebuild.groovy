import java.security.MessageDigest

// One use of ApiTest/items.har, as the JUnit extension writes it: entry 0 served, entry 1 never asked for, and a
// miss on the query parameter "page". old ones/orphan.har is opened by no test.
def har = new File(basedir, 'src/test/resources/harp/ApiTest/items.har').canonicalFile
def sha = MessageDigest.getInstance('SHA-256').digest(har.bytes).encodeHex().toString()
// the fixtures are older than the build (the use below began 2026-12-01), as in a checkout made before it; a fresh
// checkout would otherwise make the orphan look written during the build, which pruning leaves alone
def older = java.time.Instant.parse('2026-11-01T00:00:00Z').toEpochMilli()
har.setLastModified(older)
new File(basedir, 'src/test/resources/harp/old ones/orphan.har').setLastModified(older)
def uses = new File(basedir, 'target/harp/uses')
uses.mkdirs()
def path = har.path.replace('\\', '\\\\')
new File(uses, '20261201T100001.000-1-1-abcdef01.json').text = """{"harpUsage":1,"fixture":"${path}","face":"junit",
 "user":"ApiTest.items()","userId":"[engine:junit-jupiter]/[class:ApiTest]/[method:items()]","outcome":"failed",
 "mode":"replay","modeSource":"CI=true","started":"2026-12-01T10:00:00Z","finished":"2026-12-01T10:00:01Z",
 "existed":true,"sha256":"${sha}","entries":2,"hits":1,"unused":[1],"recorded":0,"selection":"",
 "misses":[{"reason":"NO_MATCH",
   "live":{"method":"GET","url":"https://api.test/items?page=2","headers":[],"body":"","bodyLength":0,"bodyTruncated":false},
   "closest":[{"entries":[0],"score":95.0,
     "recorded":{"method":"GET","url":"https://api.test/items?page=1","headers":[],"body":"","bodyLength":0,"bodyTruncated":false},
     "differences":[{"aspect":"QUERY","description":"query parameter \\"page\\": live \\"2\\", recorded \\"1\\"",
       "suggestion":{"option":"ignoreQueryParams","value":"page","drop":false,"cli":"--ignore-query-param page",
         "junit":"ignoreQueryParams = \\"page\\"","maven":"<ignoreQueryParams>page</ignoreQueryParams>"}}]}],
   "text":"no recorded response for GET https://api.test/items?page=2"}]}
"""
return true
