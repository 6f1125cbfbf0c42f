/**
 * The scan job: a partitioned Spring Batch job whose partitions walk one file system
 * each, hash every regular file and store one row per entry, committing the rows and the
 * walker's position together so a killed scan resumes after its last chunk.
 */
package dev.treesum.scan;
