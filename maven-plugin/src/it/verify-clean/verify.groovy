def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('Harp checked 1 file: 0 findings')
assert (log =~ /Harp checked 1 file: 0 findings/).count == 2 : 'bound to verify, then harp:verify on the file:\n' + log
assert !log.contains('[ERROR]') && !log.contains('[WARNING]') : log
return true
