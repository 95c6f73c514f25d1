def log = new File(basedir, 'build.log').text
['harp:export-ca', 'harp:help', 'harp:run', 'harp:verify'].each { assert log.contains(it) : it + ' missing from harp:help:\n' + log }
return true
