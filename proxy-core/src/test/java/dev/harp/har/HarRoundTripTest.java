package dev.harp.har;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Read then write must give back what was read: every unknown member at every level (with and
 * without the underscore), absent versus present optional members, and exact numbers.
 */
class HarRoundTripTest {
    /**
     * A document already in the writer's layout and member order, carrying a comment and unknown
     * members on every object type, so a round trip must reproduce it byte for byte.
     */
    private static final String EVERYTHING = """
            {
              "log": {
                "version": "1.2",
                "creator": {
                  "name": "Tool",
                  "version": "3",
                  "comment": "creator comment",
                  "_build": 7
                },
                "browser": {
                  "name": "Browser",
                  "version": "111.0",
                  "vendorChannel": "beta"
                },
                "pages": [
                  {
                    "startedDateTime": "2023-03-29T16:58:59.303-07:00",
                    "id": "page_1",
                    "title": "Title ☃",
                    "pageTimings": {
                      "onContentLoad": 208.5,
                      "onLoad": -1,
                      "comment": "pt",
                      "_firstPaint": 150.25
                    },
                    "comment": "page comment",
                    "_pageExtra": {
                      "a": [
                        1,
                        "two",
                        null,
                        true
                      ]
                    }
                  }
                ],
                "entries": [
                  {
                    "pageref": "page_1",
                    "startedDateTime": "2023-03-30T00:16:44.544Z",
                    "time": 17.54299997445196,
                    "request": {
                      "method": "POST",
                      "url": "https://example.test/api?a=1&a=2",
                      "httpVersion": "http/2.0",
                      "cookies": [
                        {
                          "name": "sid",
                          "value": "abc",
                          "path": "/",
                          "domain": ".example.test",
                          "expires": "Fri, 08-May-2020 10:07:30 GMT",
                          "httpOnly": true,
                          "secure": false,
                          "comment": "cookie comment",
                          "_sameSite": "Lax"
                        }
                      ],
                      "headers": [
                        {
                          "name": ":authority",
                          "value": "example.test",
                          "_fromType": "array"
                        },
                        {
                          "name": "X-Dup",
                          "value": "1",
                          "comment": "header comment"
                        },
                        {
                          "name": "X-Dup",
                          "value": "2"
                        }
                      ],
                      "queryString": [
                        {
                          "name": "a",
                          "value": "1",
                          "_fromType": "url"
                        },
                        {
                          "name": "a",
                          "value": "2"
                        }
                      ],
                      "postData": {
                        "mimeType": "multipart/form-data; boundary=x",
                        "params": [
                          {
                            "name": "upload",
                            "value": "content",
                            "fileName": "a.txt",
                            "contentType": "text/plain",
                            "comment": "param comment",
                            "encoding": "utf-8"
                          },
                          {
                            "name": "flag"
                          }
                        ],
                        "text": "--x--",
                        "comment": "post comment",
                        "encoding": "",
                        "_file": "body.bin"
                      },
                      "headersSize": 120,
                      "bodySize": 5,
                      "comment": "request comment",
                      "settingEncodeUrl": true
                    },
                    "response": {
                      "status": 200,
                      "statusText": "",
                      "httpVersion": "h3",
                      "cookies": [],
                      "headers": [],
                      "content": {
                        "size": 4,
                        "compression": -20,
                        "mimeType": "image/gif",
                        "text": "R0lGOA==",
                        "encoding": "base64",
                        "comment": "content comment",
                        "_isBinary": true,
                        "_file": "x.gif"
                      },
                      "redirectURL": "",
                      "headersSize": -1,
                      "bodySize": 0,
                      "comment": "response comment",
                      "_transferSize": 389,
                      "_error": null
                    },
                    "cache": {
                      "beforeRequest": null,
                      "afterRequest": {
                        "expires": "4294967295",
                        "lastFetched": "",
                        "fetchCount": "",
                        "_device": "disk"
                      },
                      "comment": "cache comment",
                      "_cacheExtra": 1
                    },
                    "timings": {
                      "blocked": 5.397000045232475,
                      "dns": -1,
                      "connect": -1,
                      "send": 0.2370000000000001,
                      "wait": 7.330000007074326,
                      "receive": 1.7019999795593321,
                      "ssl": -1,
                      "comment": "timings comment",
                      "_blocked_queueing": 3.293000045232475,
                      "queueing": -1.0
                    },
                    "serverIPAddress": "[2001:db8::1]",
                    "connection": "443",
                    "comment": "entry comment",
                    "_initiator": {
                      "type": "script",
                      "stack": {
                        "callFrames": [],
                        "parent": {
                          "description": "await"
                        }
                      }
                    },
                    "_monotonicTime": 1680134301.120,
                    "_bigId": 123456789012345678901234567890,
                    "lastFetched": "1680134301"
                  }
                ],
                "comment": "log comment",
                "_recordingName": "rec",
                "customNoUnderscore": {}
              },
              "_rootExtra": [
                "kept"
              ]
            }
            """;

    @Test
    void everyMemberAtEveryLevelSurvivesByteForByte() throws Exception {
        Har har = HarReader.fromJson(EVERYTHING);
        assertThat(HarWriter.toJson(har)).isEqualTo(EVERYTHING);
    }

    @Test
    void unknownMembersAreExposedInOrderAtEveryLevel() throws Exception {
        Har har = HarReader.fromJson(EVERYTHING);
        HarLog log = har.log();
        HarEntry e = log.entries().get(0);
        assertThat(har.extensions()).containsOnlyKeys("_rootExtra");
        assertThat(log.extensions().keySet()).containsExactly("_recordingName",
                "customNoUnderscore");
        assertThat(log.creator().extensions()).containsOnlyKeys("_build");
        assertThat(log.browser().extensions()).containsOnlyKeys("vendorChannel");
        assertThat(log.pages().get(0).extensions()).containsOnlyKeys("_pageExtra");
        assertThat(log.pages().get(0).pageTimings().extensions()).containsOnlyKeys("_firstPaint");
        assertThat(e.extensions().keySet()).containsExactly("_initiator", "_monotonicTime",
                "_bigId", "lastFetched");
        assertThat(e.request().extensions()).containsOnlyKeys("settingEncodeUrl");
        assertThat(e.request().cookies().get(0).extensions()).containsOnlyKeys("_sameSite");
        assertThat(e.request().headers().get(0).extensions()).containsOnlyKeys("_fromType");
        assertThat(e.request().queryString().get(0).extensions()).containsOnlyKeys("_fromType");
        assertThat(e.request().postData().extensions().keySet()).containsExactly("encoding",
                "_file");
        assertThat(e.request().postData().params().get(0).extensions())
                .containsOnlyKeys("encoding");
        assertThat(e.response().extensions().keySet()).containsExactly("_transferSize",
                "_error");
        assertThat(e.response().content().extensions().keySet()).containsExactly("_isBinary",
                "_file");
        assertThat(e.cache().extensions()).containsOnlyKeys("_cacheExtra");
        assertThat(e.cache().afterRequest().has("lastFetched")).isTrue();
        assertThat(e.timings().extensions().keySet()).containsExactly("_blocked_queueing",
                "queueing");
    }

    @Test
    void knownMembersAreDecodedNotLeftAsExtensions() throws Exception {
        HarEntry e = HarReader.fromJson(EVERYTHING).entries().get(0);
        assertThat(e.request().postData().params().get(1))
                .isEqualTo(new HarParam("flag", null, null, null, null, null));
        assertThat(e.response().content().bodyBytes()).containsExactly('G', 'I', 'F', '8');
        assertThat(e.response().content().compression()).isEqualTo(-20L);
        assertThat(e.timings().blocked()).isEqualTo(5.397000045232475);
        assertThat(e.serverIPAddress()).isEqualTo("[2001:db8::1]");
    }

    @Test
    void foreignMemberOrderIsNormalisedWithoutLosingAnything() throws Exception {
        String chromeStyle = "{\"log\": {\"entries\": [{\"_initiator\": {\"type\": \"other\"},"
                + " \"_priority\": \"VeryHigh\", \"cache\": {}, \"pageref\": \"page_1\","
                + " \"request\": {\"url\": \"https://x.test/\", \"method\": \"GET\"},"
                + " \"response\": {\"status\": 304, \"_transferSize\": 0, \"content\":"
                + " {\"mimeType\": \"\", \"size\": 0}}, \"serverIPAddress\": \"\","
                + " \"startedDateTime\": \"2023-03-30T00:00:54.253Z\", \"time\": 1e1,"
                + " \"timings\": {\"receive\": 1, \"wait\": 2, \"send\": 3}}],"
                + " \"creator\": {\"version\": \"537.36\", \"name\": \"WebInspector\"},"
                + " \"version\": \"1.2\"}}";
        String written = HarWriter.toJson(HarReader.fromJson(chromeStyle));
        JsonNode out = JsonDiff.readTree(written);
        JsonNode entry = out.get("log").get("entries").get(0);
        assertThat(fieldNames(entry)).containsExactly("pageref", "startedDateTime", "time",
                "request", "response", "cache", "timings", "serverIPAddress", "_initiator",
                "_priority");
        assertThat(fieldNames(out.get("log"))).containsExactly("version", "creator", "entries");
        List<String> differences = JsonDiff.diff(JsonDiff.readTree(chromeStyle), out);
        assertThat(differences).allMatch(d -> d.contains(": added "), "only additions");
        assertThat(differences).contains("log.entries[0].request.httpVersion: added \"\"",
                "log.entries[0].response.redirectURL: added \"\"");
    }

    @Test
    void extensionNumbersKeepTheirExactValue() throws Exception {
        Har har = HarReader.fromJson("{\"log\": {\"entries\": [], \"_a\": 1e3, \"_b\": -0.0,"
                + " \"_c\": 0.1000000000000000055511151231257827,"
                + " \"_d\": 99999999999999999999999}}");
        String json = HarWriter.toJson(har);
        // exact decimals: the value and scale survive, the spelling of exponents and the sign of
        // a negative zero do not (BigDecimal has neither)
        assertThat(json).contains("\"_a\": 1E+3,\n", "\"_b\": 0.0,\n",
                "\"_c\": 0.1000000000000000055511151231257827,\n",
                "\"_d\": 99999999999999999999999\n");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
