package dev.harp.report;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The page's escaping and links, on the characters that break naive ones. */
class HtmlTest {

    @Test
    void escapesMarkupQuotesAndControlCharacters() {
        assertThat(Html.esc("<a href=\"x\" title='y'>&amp;</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
        assertThat(Html.esc("a\u0000b\u001bc\td\ne\u007f")).isEqualTo("a\\u0000b\\u001bc\td\ne\\u007f");
    }

    @Test
    void hrefsAreRelativeWithEverySegmentPercentEncodedAndResolveBackToTheFile() {
        Path out = Path.of("/work/app/target/harp");
        Path file = Path.of("/work/app/src/test/resources/a b/#x?y%z ż&.har");

        String href = Html.href(out, file);

        assertThat(href).isEqualTo("../../src/test/resources/a%20b/%23x%3Fy%25z%20%C5%BC%26.har");
        assertThat(Path.of(out.resolve("report.html").toUri().resolve(URI.create(href)))).isEqualTo(file);
    }

    @Test
    void cutSaysHowMuchWasLeftOut() {
        assertThat(Html.cut("abcdef", 10)).isEqualTo("abcdef");
        assertThat(Html.cut("abcdef", 2)).isEqualTo("ab… (4 more characters)");
    }
}
