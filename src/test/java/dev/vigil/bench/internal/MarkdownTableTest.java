package dev.vigil.bench.internal;

import static dev.vigil.bench.internal.MarkdownTable.left;
import static dev.vigil.bench.internal.MarkdownTable.right;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void writesTheHeaderTheAlignmentsAndOneLinePerRow() {
        MarkdownTable t =
                MarkdownTable.of(left("target"), right("measured"), left("verdict"))
                        .row("≥ 2,000 scans/s", "2,345", "met")
                        .row("≥ 10×", 12.5, "met");

        assertThat(t.toString())
                .isEqualTo(
                        """
                        | target | measured | verdict |
                        |---|---:|---|
                        | ≥ 2,000 scans/s | 2,345 | met |
                        | ≥ 10× | 12.5 | met |
                        """);
    }

    @Test
    void anEmptyTitleIsOneSpaceAndAnEmptyCellTwo() {
        MarkdownTable t = MarkdownTable.of(left(""), right("Vigil")).row("", "1");

        assertThat(t.toString()).isEqualTo("| | Vigil |\n|---|---:|\n|  | 1 |\n");
    }

    @Test
    void aTableWithoutRowsIsItsHeader() {
        assertThat(MarkdownTable.of(right("findings")).toString())
                .isEqualTo("| findings |\n|---:|\n");
    }

    @Test
    void aRowOfTheWrongWidthIsRefusedNamingItsCellsAndTheColumns() {
        MarkdownTable t = MarkdownTable.of(left("a"), left("b"));

        assertThatThrownBy(() -> t.row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a row of 1 cells [only one] in a table of 2 columns [a, b]");
    }

    @Test
    void aTableNeedsAColumn() {
        assertThatThrownBy(MarkdownTable::of)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a Markdown table needs at least one column");
    }
}
