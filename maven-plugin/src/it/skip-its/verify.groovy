def log = new File(basedir, 'build.log').text
assert (log =~ /\[INFO\] Harp: skipped \(skipITs\)/).count == 2 : 'start and stop both skip:\n' + log
assert !log.contains('Harp proxy') || !log.contains("' started") : log
assert log.contains("[INFO] Harp: no Harp proxy running with id 'default'") : log
assert !log.contains('BUILD FAILURE') : log
assert !new File(basedir, 'target/harp').exists()
return true
