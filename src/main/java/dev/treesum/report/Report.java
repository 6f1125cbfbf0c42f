package dev.treesum.report;

import java.util.List;

/**
 * The rows of one report, with named columns, ready to be formatted.
 *
 * @param columns the column names, as the CSV header and the JSON keys give them
 * @param rows the rows; values are strings, numbers or {@code null}
 */
public record Report(List<String> columns, List<List<Object>> rows) {
}
