package io.streamanalytics.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a service's settings table in the docs equal to the one its settings declaration renders: the table sits
 * between {@code <!-- settings:<service> -->} and {@code <!-- /settings -->} on lines of their own.
 */
public final class DocumentedSettings {

    private static final String END = "<!-- /settings -->";

    private DocumentedSettings() {}

    /**
     * @param doc     the Markdown file, relative to the repository root (tests run in a module's directory)
     * @param service the marker's name
     * @param table   the table as the declaration renders it
     */
    public static void assertDocumented(String doc, String service, String table) {
        Path file = Path.of("..").resolve(doc);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String begin = "<!-- settings:" + service + " -->\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(END, from);
        assertThat(from).as(doc + " has no line " + begin.trim()).isNotNegative();
        assertThat(to).as(doc + " has no " + END + " after " + begin.trim()).isPositive();
        assertThat(text.substring(from + begin.length(), to))
                .as(doc + ": the settings table differs from the declaration's; the declaration renders:\n" + table)
                .isEqualTo(table);
    }
}
