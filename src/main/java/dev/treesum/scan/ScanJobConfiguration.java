package dev.treesum.scan;

import java.io.IOException;
import java.util.List;

import dev.treesum.TreesumProperties;
import dev.treesum.hash.FileHasher;
import dev.treesum.hash.IoConcurrencyController;
import dev.treesum.launch.StopSignal;
import dev.treesum.mount.BlockDevices;
import dev.treesum.mount.Mount;
import dev.treesum.mount.MountTable;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.context.annotation.ScopedProxyMode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The scan job: {@value #SCAN_STEP} splits the scan into one {@value #MOUNT_STEP} per
 * file system and runs them on {@code --threads} workers that take partitions like a work
 * queue; each {@value #MOUNT_STEP} reads, hashes and writes in chunks, each chunk one
 * transaction of the database.
 */
@Configuration(proxyBeanMethods = false)
public class ScanJobConfiguration {

	/** The job's name: one job instance per scan. */
	public static final String JOB_NAME = "scanJob";

	/** The manager step, which partitions the scan. */
	public static final String SCAN_STEP = "scanStep";

	/**
	 * The worker step; partition {@code partition-N} runs as step
	 * {@code mountStep:partition-N}, the name the SQL views look for.
	 */
	public static final String MOUNT_STEP = "mountStep";

	/** The identifying job parameter: one job instance per scan. */
	public static final String SCAN_ID_PARAMETER = "scan.id";

	/** Partitions run at once; may differ between attempts of one scan. */
	public static final String THREADS_PARAMETER = "threads";

	/**
	 * Entries a partition hands out ahead of its chunk at most: enough that the other
	 * cores keep hashing small files while one reads a large one.
	 */
	private static final int READ_AHEAD = 8192;

	/** The most files one partition reads at once, for auto to search up to. */
	private static final int MAX_IO_CONCURRENCY = Math.max(8,
			Math.min(64, 4 * Runtime.getRuntime().availableProcessors()));

	@Bean
	Job scanJob(JobRepository jobRepository, Step scanStep, ScanJobListener scanJobListener) {
		return new JobBuilder(JOB_NAME, jobRepository).listener(scanJobListener).start(scanStep).build();
	}

	@Bean
	Step scanStep(JobRepository jobRepository, MountPartitioner mountPartitioner,
			DiskPartitionHandler diskPartitionHandler) {
		return new StepBuilder(SCAN_STEP, jobRepository).partitioner(MOUNT_STEP, mountPartitioner)
			.partitionHandler(diskPartitionHandler)
			.build();
	}

	/**
	 * The worker step, one for each partition: made in the partition's step scope, so
	 * that its reader, processor and writer are the partition's own objects, called
	 * directly rather than through scoped proxies, which looked up the partition's bean
	 * for every file read and every file processed.
	 */
	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	Step mountStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			FileTreeReader fileTreeReader, FileHashProcessor fileHashProcessor, FileRecordWriter fileRecordWriter,
			PartitionProgressListener partitionProgressListener, TreesumProperties properties) {
		return new StepBuilder(MOUNT_STEP, jobRepository).<ListedFile, FileRecord>chunk(properties.chunkSize())
			.reader(fileTreeReader)
			.processor(fileHashProcessor)
			.writer(fileRecordWriter)
			.listener(partitionProgressListener)
			// Without it the chunk's rows and the reader's position would not commit
			// together.
			.transactionManager(transactionManager)
			.build();
	}

	/**
	 * The scan's settings, read once per attempt. A record cannot be proxied, and needs
	 * not be: only beans of this job's scope and of its steps take it.
	 */
	@Bean
	@Scope(value = "job", proxyMode = ScopedProxyMode.NO)
	ScanSettings scanSettings(@Value("#{jobParameters['" + SCAN_ID_PARAMETER + "']}") Long scanId,
			PartitionRepository partitionRepository) {
		return partitionRepository.settings(scanId.intValue());
	}

	@Bean
	@Scope(value = "job", proxyMode = ScopedProxyMode.NO)
	PathNumbers pathNumbers(ScanSettings scanSettings, PartitionRepository partitionRepository) {
		return new PathNumbers(partitionRepository.lastPathNo(scanSettings.seriesId()));
	}

	/**
	 * The partition a worker step runs, from its step execution context; as the settings,
	 * unproxied and taken only by beans of the step's scope.
	 */
	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	MountPartition mountPartition(@Value("#{stepExecution}") StepExecution stepExecution) {
		return MountPartition.from(stepExecution.getExecutionContext());
	}

	@Bean
	@Scope(value = "job", proxyMode = ScopedProxyMode.TARGET_CLASS)
	MountPartitioner mountPartitioner(ScanSettings scanSettings, PartitionRepository partitionRepository,
			TreesumProperties properties) {
		return new MountPartitioner(scanSettings, partitionRepository, properties.filesystemTypes(),
				new BlockDevices());
	}

	@Bean
	@Scope(value = "job", proxyMode = ScopedProxyMode.TARGET_CLASS)
	DiskPartitionHandler diskPartitionHandler(@Qualifier(MOUNT_STEP) ObjectProvider<Step> mountStep,
			@Value("#{jobParameters['" + THREADS_PARAMETER + "']}") Long threads) {
		return new DiskPartitionHandler(mountStep, threads.intValue());
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	CarryOverRule carryOverRule(ScanSettings scanSettings, MountPartition mountPartition,
			PartitionRepository partitionRepository) {
		return CarryOverRule.plan(scanSettings, mountPartition, partitionRepository);
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	IoConcurrencyController ioConcurrencyController(MountPartition mountPartition) {
		return mountPartition.ioAuto()
				? IoConcurrencyController.adaptive(mountPartition.ioConcurrency(), 1, MAX_IO_CONCURRENCY)
				: IoConcurrencyController.fixed(mountPartition.ioConcurrency());
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	ReadAheadHasher readAheadHasher(MountPartition mountPartition, ScanSettings scanSettings,
			IoConcurrencyController ioConcurrencyController, TreesumProperties properties) {
		// Half the stop timeout lets the chunk in progress finish; then it is rolled
		// back.
		return new ReadAheadHasher(mountPartition.name(), new FileHasher(scanSettings.algorithm()),
				ioConcurrencyController, StopSignal.overdueAfter(properties.stopTimeout().dividedBy(2)), (bytes) -> {
				});
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	EntryLookup entryLookup(JdbcTemplate jdbcTemplate, ScanSettings scanSettings) {
		return new EntryLookup(jdbcTemplate, scanSettings.seriesId(),
				(scanSettings.carriedFrom() != null) ? scanSettings.carriedFrom().id() : null);
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	FileTreeReader fileTreeReader(MountPartition mountPartition, ScanSettings scanSettings, EntryLookup entryLookup,
			CarryOverRule carryOverRule, ReadAheadHasher readAheadHasher, TreesumProperties properties)
			throws IOException {
		return new FileTreeReader(mountPartition.name(), mountPartition.start(), scanSettings.excludes(),
				mountsBelow(mountPartition), entryLookup, carryOverRule, readAheadHasher, properties.chunkSize(),
				READ_AHEAD);
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	FileHashProcessor fileHashProcessor(CarryOverRule carryOverRule, TreesumProperties properties) {
		return new FileHashProcessor(carryOverRule, StopSignal.overdueAfter(properties.stopTimeout().dividedBy(2)),
				properties.pausePerFile());
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	FileRecordWriter fileRecordWriter(JdbcTemplate jdbcTemplate, ScanSettings scanSettings,
			MountPartition mountPartition, PathNumbers pathNumbers) {
		return new FileRecordWriter(jdbcTemplate, scanSettings.id(), scanSettings.seriesId(), mountPartition.part(),
				pathNumbers, new EntryShapes(jdbcTemplate));
	}

	@Bean
	@Scope(value = "step", proxyMode = ScopedProxyMode.NO)
	PartitionProgressListener partitionProgressListener(MountPartition mountPartition, ScanSettings scanSettings,
			IoConcurrencyController ioConcurrencyController, PartitionRepository partitionRepository,
			TreesumProperties properties, ObjectProvider<ScanProgressListener> progressListeners) {
		return new PartitionProgressListener(mountPartition, properties.progressInterval(), ioConcurrencyController,
				partitionRepository, scanSettings.id(), progressListeners.orderedStream().toList());
	}

	/**
	 * Every mount below the walk's start is another partition's, or not scanned at all.
	 */
	private static List<byte[]> mountsBelow(MountPartition partition) throws IOException {
		return MountTable.read().under(partition.rootBytes()).stream().map(Mount::mountPoint).toList();
	}

}
