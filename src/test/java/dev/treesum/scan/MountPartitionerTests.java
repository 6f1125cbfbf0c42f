package dev.treesum.scan;

import java.util.List;
import java.util.Set;

import dev.treesum.mount.Disk;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How partitions are grouped by the disks they read: partitions whose disks overlap,
 * directly or through a chain of devices built on several disks, share a group and so
 * never run at once; the others get groups of their own.
 */
class MountPartitionerTests {

	@Test
	void partitionsOnSeparateDisksGetSeparateGroups() {
		List<String> groups = MountPartitioner
			.diskGroups(List.of(disk("sda"), disk("sdb"), disk("nvme0n1"), disk("0:45")));

		assertThat(groups).containsExactly("sda", "sdb", "nvme0n1", "0:45");
	}

	@Test
	void partitionsOnOneDiskShareItsGroup() {
		List<String> groups = MountPartitioner.diskGroups(List.of(disk("sda"), disk("sdb"), disk("sda")));

		assertThat(groups).containsExactly("sda", "sdb", "sda");
	}

	@Test
	void aDeviceOnSeveralDisksJoinsTheGroupsOfEach() {
		// sda and sdb alone would run at once; a dm device on both ties all three.
		List<String> groups = MountPartitioner
			.diskGroups(List.of(disk("sda"), disk("sdb"), disk("sda", "sdb"), disk("sdc")));

		assertThat(groups).containsExactly("sda+sdb", "sda+sdb", "sda+sdb", "sdc");
	}

	@Test
	void overlapsChainTransitivelyInAnyOrder() {
		// {a,b} and {c,d} share nothing until {b,c} comes last and links them.
		List<String> groups = MountPartitioner
			.diskGroups(List.of(disk("sda", "sdb"), disk("sdc", "sdd"), disk("sdb", "sdc"), disk("sde")));

		assertThat(groups).containsExactly("sda+sdb+sdc+sdd", "sda+sdb+sdc+sdd", "sda+sdb+sdc+sdd", "sde");
	}

	@Test
	void noPartitionsNoGroups() {
		assertThat(MountPartitioner.diskGroups(List.of())).isEmpty();
	}

	private static Disk disk(String... members) {
		return new Disk(String.join("+", members), Set.of(members), false);
	}

}
