package dev.treesum.scan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per root of the scan, named {@code partition-N} in the order the roots
 * were given, so a resumed scan finds its partitions under the same names.
 */
class MountPartitioner implements Partitioner {

	/** The absolute root a partition walks. */
	static final String ROOT_KEY = "root";

	/** The partition's name, as {@code treesum_partition} and the file rows know it. */
	static final String NAME_KEY = "partition";

	private final ScanSettings scan;

	private final ScanRepository scans;

	MountPartitioner(ScanSettings scan, ScanRepository scans) {
		this.scan = scan;
		this.scans = scans;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		List<String> roots = this.scan.roots();
		for (int i = 0; i < roots.size(); i++) {
			String name = "partition-" + i;
			ExecutionContext context = new ExecutionContext();
			context.putString(ROOT_KEY, roots.get(i));
			context.putString(NAME_KEY, name);
			this.scans.addPartition(this.scan.id(), name, roots.get(i));
			partitions.put(name, context);
		}
		return partitions;
	}

}
