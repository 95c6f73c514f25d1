import groovy.json.JsonSlurper

def client = new File(basedir, 'client.txt')
assert client.isFile() : 'the client thread of prebuild.groovy did not finish'
assert client.text == '200 hi from the API'

def log = new File(basedir, 'build.log').text
assert log =~ /Harp CA .*target\/ca\/harp-ca\.pem \(SHA-256 /
assert log.contains('Harp: stops after 10 s, or on Ctrl-C')
assert log.contains('Harp: stopping after 10 s (harp.timeout)')
assert !log.contains('org.xnio.Xnio <clinit>') : 'XNIO logs through Maven, not in java.util.logging format'
assert log.contains('Harp wrote 1 entries to ' + new File(basedir, 'target/flows.har').canonicalPath)

def har = new JsonSlurper().parse(new File(basedir, 'target/flows.har'))
assert har.log.creator.name == 'Harp'
assert har.log.entries.size() == 1
def entry = har.log.entries[0]
assert entry.request.url.endsWith('/hello?token=REDACTED') : 'the secret query parameter is redacted: ' + entry.request.url
assert entry.response.content.text == 'hi from the API'
assert !new File(basedir, 'target/flows.har').text.contains('s3cret-value')
return true
