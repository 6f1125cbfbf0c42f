/**
 * Digest algorithms behind one small interface, and the streaming file hasher that feeds
 * them from one reused buffer per thread. Plain Java, no Spring.
 */
package dev.treesum.hash;
