package dev.treesum.scan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The numbers of the shapes a partition's entries have: what many entries share
 * (partition number, kind, mode, owner, group, link count), stored once in
 * {@code treesum_shape}. A partition meets a few hundred shapes, so they are remembered;
 * a shape added in a chunk that rolls back is forgotten with it.
 */
final class EntryShapes {

	private final JdbcTemplate jdbc;

	private final Map<Shape, Integer> known = new HashMap<>();

	EntryShapes(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Return the number of a shape, adding it in the current transaction if it is new.
	 * @param shape the shape
	 * @return its id
	 */
	int id(Shape shape) {
		Integer id = this.known.get(shape);
		if (id == null) {
			id = find(shape);
			this.known.put(shape, id);
		}
		return id;
	}

	private int find(Shape shape) {
		List<Integer> added = this.jdbc.queryForList(
				"insert into treesum_shape (part, kind, mode, uid, gid, links) values (?, ?::\"char\", ?, ?, ?, ?) "
						+ "on conflict do nothing returning id",
				Integer.class, shape.part(), String.valueOf(shape.kind()), shape.mode(), shape.uid(), shape.gid(),
				shape.links());
		if (added.isEmpty()) {
			return this.jdbc.queryForObject(
					"select id from treesum_shape where part = ? and kind = ?::\"char\" and mode = ? and uid = ? and gid = ? "
							+ "and links = ?",
					Integer.class, shape.part(), String.valueOf(shape.kind()), shape.mode(), shape.uid(), shape.gid(),
					shape.links());
		}
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCompletion(int status) {
					if (status != STATUS_COMMITTED) {
						EntryShapes.this.known.remove(shape);
					}
				}
			});
		}
		return added.get(0);
	}

	/**
	 * What many entries share; -1 where it is unknown.
	 *
	 * @param part the partition number
	 * @param kind the kind's code
	 * @param mode the mode
	 * @param uid the owner
	 * @param gid the group
	 * @param links the link count
	 */
	record Shape(int part, char kind, int mode, long uid, long gid, int links) {
	}

}
