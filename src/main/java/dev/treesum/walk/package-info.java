/**
 * Walking one file system's tree in a total, stable order, and the exact bytes of file
 * names. Plain Java, no Spring.
 */
package dev.treesum.walk;
