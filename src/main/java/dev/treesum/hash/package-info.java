/**
 * Digest algorithms behind one small interface, the streaming file hasher that feeds them
 * from one reused buffer per thread, and the controller of how many files of one file
 * system are read at once. Plain Java, no Spring.
 */
package dev.treesum.hash;
