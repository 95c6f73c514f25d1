# The "application" in the container: asks the API for its status and prints one line.
# Any client that honours HTTP(S)_PROXY is recorded the same way (curl, Python, Go, Node, a JVM through
# JAVA_TOOL_OPTIONS); HarpContainers also gives them Harp's CA (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, ...).
set -e
body=$(wget -q -O - "$API_URL/v1/status")
status=$(echo "$body" | sed -n 's/.*"status":"\([^"]*\)".*/\1/p')
version=$(echo "$body" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')
echo "$API_URL is $status (version $version)"
