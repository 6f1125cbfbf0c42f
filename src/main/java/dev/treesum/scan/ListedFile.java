package dev.treesum.scan;

import java.util.concurrent.Future;

import dev.treesum.walk.FileEntry;

/**
 * An entry as the reader hands it out: what the walker found, what the series already
 * knows of its path, and the reading of its content if that was started ahead.
 *
 * @param entry the entry as the walker found it
 * @param pathNo its path's number in the series' dictionary, 0 for a path not seen before
 * @param previous the file as the scan digests are carried from recorded it, or
 * {@code null}
 * @param reading the reading of a regular file started ahead of the chunk, or
 * {@code null} if it is not to be read
 * @param reverified whether it is read only to verify a digest that could be carried over
 */
record ListedFile(FileEntry entry, int pathNo, PreviousEntry previous, Future<FileReading> reading,
		boolean reverified) {
}
