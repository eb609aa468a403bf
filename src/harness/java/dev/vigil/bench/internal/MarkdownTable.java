package dev.vigil.bench.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table for the benchmark reports: columns with a title and an
 * alignment, then rows of cells, written as {@code | a | b |} lines. Cells are written as given
 * (already formatted, Markdown allowed); a cell holding {@code |} would split its row, which no
 * report figure does. Not thread-safe: build it in one method, then read {@link #toString()}.
 *
 * <p>Layout, kept from the reports written by hand before: one space either side of each cell, so
 * an empty cell is two spaces ({@code | |}); an empty column title is one ({@code | |}).
 */
public final class MarkdownTable {

    /** A column: its title and whether its cells are right-aligned (figures) or left (text). */
    public record Column(String title, boolean right) {}

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    private MarkdownTable(List<Column> columns) {
        this.columns = columns;
    }

    /** A left-aligned column (names, verdicts). */
    public static Column left(String title) {
        return new Column(title, false);
    }

    /** A right-aligned column (figures). */
    public static Column right(String title) {
        return new Column(title, true);
    }

    /**
     * A table with these columns and no rows yet.
     *
     * @throws IllegalArgumentException without columns
     */
    public static MarkdownTable of(Column... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a Markdown table needs at least one column");
        }
        return new MarkdownTable(List.of(columns));
    }

    /**
     * Adds a row, one cell per column, each written with {@link String#valueOf(Object)}.
     *
     * @throws IllegalArgumentException when the number of cells is not the number of columns
     */
    public MarkdownTable row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "a row of "
                            + cells.length
                            + " cells "
                            + Arrays.toString(cells)
                            + " in a table of "
                            + columns.size()
                            + " columns "
                            + columns.stream().map(Column::title).toList());
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    /** The header line, the alignment line and one line per row, each ending in a newline. */
    @Override
    public String toString() {
        StringBuilder md = new StringBuilder();
        for (Column c : columns) {
            md.append(c.title().isEmpty() ? "| " : "| " + c.title() + " ");
        }
        md.append("|\n");
        for (Column c : columns) {
            md.append(c.right() ? "|---:" : "|---");
        }
        md.append("|\n");
        for (List<String> row : rows) {
            for (String cell : row) {
                md.append("| ").append(cell).append(' ');
            }
            md.append("|\n");
        }
        return md.toString();
    }
}
