-- treesum's tables.
--
-- A series is one host's set of roots. Its scans share a dictionary of paths, so that a path
-- seen night after night is stored once. A scan's entries live in a partition of their own of
-- treesum_entry (and of treesum_error), created with the scan and dropped whole by prune.
--
-- An entry row holds only what varies from scan to scan, in as few bytes as the data allows:
-- the path is a number in the series' dictionary; what many entries share (their partition,
-- kind, mode, owner, group and link count) is a number in treesum_shape; the status is a
-- one-byte code; what is the same for a whole partition (its name, root, device) is on
-- treesum_partition. The views (repeatable migrations) give the words and the readable text.

create table treesum_series (
	id integer generated always as identity primary key,
	host text not null,
	roots_key text not null,
	unique (host, roots_key)
);

comment on table treesum_series is 'A host''s set of roots: its scans are compared with each other and share one dictionary of paths';

create table treesum_scan (
	id integer generated always as identity primary key,
	series_id integer not null references treesum_series (id),
	series_no integer not null,
	host text not null,
	roots text[] not null,
	roots_key text not null,
	algorithm text not null,
	excludes text[] not null default '{}',
	all_mounts boolean not null default false,
	io_concurrency integer not null default 0,
	incremental boolean not null default false,
	reverify_percent real,
	job_instance_id bigint unique references batch_job_instance (job_instance_id),
	created_at timestamptz not null default now(),
	owner_machine text,
	owner_boot_id text,
	owner_pid bigint,
	owner_started_at timestamptz,
	heartbeat_at timestamptz,
	pruned_at timestamptz,
	unique (series_id, series_no)
);

create index treesum_scan_roots on treesum_scan (host, roots_key, id desc);

comment on table treesum_scan is 'One scan of a set of roots on a host; resumed scans keep their id';
comment on column treesum_scan.series_no is 'The scan''s number within its series: 1, 2, ...';
comment on column treesum_scan.roots_key is 'The roots sorted and joined by newlines: scans of the same roots share it';
comment on column treesum_scan.io_concurrency is 'Files read at once per partition as asked; 0 for auto';
comment on column treesum_scan.reverify_percent is 'With --incremental: the share of the carried-over bytes read again, least recently verified first';
comment on column treesum_scan.owner_pid is 'The process that runs or last ran the scan, on owner_machine during boot owner_boot_id';
comment on column treesum_scan.heartbeat_at is 'Refreshed every few seconds while the scan runs';
comment on column treesum_scan.pruned_at is 'When prune dropped the scan''s entries';

create table treesum_partition (
	scan_id integer not null references treesum_scan (id) on delete cascade,
	part smallint not null,
	name text not null,
	root bytea not null,
	mountpoint bytea not null,
	device text not null,
	fs_type text not null,
	source text not null,
	disk text not null,
	io_concurrency integer not null,
	io_auto boolean not null default false,
	io_concurrency_used integer,
	files bigint not null default 0,
	bytes bigint not null default 0,
	errors bigint not null default 0,
	bytes_read bigint not null default 0,
	reverify_budget bigint,
	reverify_bytes bigint not null default 0,
	primary key (scan_id, part),
	unique (scan_id, name)
);

comment on table treesum_partition is 'One file system of a scan, with its totals, updated in the same transaction as each chunk of entries';
comment on column treesum_partition.root is 'Where the partition''s walk starts, exact bytes: a scan root or a mount point under one';
comment on column treesum_partition.disk is 'The physical disk(s) beneath; partitions on one disk never run at once';
comment on column treesum_partition.io_concurrency is 'Files read at once: as given, or where auto started from the class of the disk';
comment on column treesum_partition.io_auto is 'Whether the partition searched for the best number of files read at once (auto)';
comment on column treesum_partition.io_concurrency_used is 'What the partition settled on: the number given, or the one auto chose last';
comment on column treesum_partition.bytes_read is 'Bytes actually read to hash files; less than bytes when digests were carried over';
comment on column treesum_partition.reverify_budget is 'With --reverify: the bytes of unchanged files to read again, less what the previous scan read beyond its own';
comment on column treesum_partition.reverify_bytes is 'Bytes of unchanged files read again (--reverify); a file larger than the budget is read whole, and the next scan''s budget is the smaller';

create table treesum_path (
	series_id integer not null,
	path_no integer not null,
	path bytea not null,
	primary key (series_id, path_no) with (fillfactor = 100)
) partition by list (series_id);

comment on table treesum_path is 'The dictionary of a series'' paths; one partition per series, where a hash index finds a path and keeps it unique';
comment on column treesum_path.path is 'The exact bytes of the absolute path: the identity of a file';

create table treesum_shape (
	id integer generated always as identity primary key,
	part smallint not null,
	kind "char" not null,
	mode integer not null,
	uid bigint not null,
	gid bigint not null,
	links integer not null,
	unique (part, kind, mode, uid, gid, links)
);

comment on table treesum_shape is 'What many entries share: partition number, kind, mode, owner, group and link count; -1 where unknown';
comment on column treesum_shape.kind is 'f file, d directory, l symlink, p fifo, s socket, b block device, c char device, ? unknown';

create table treesum_entry (
	size bigint,
	mtime_ns bigint,
	ctime_ns bigint,
	inode bigint,
	scan_id integer not null,
	path_no integer not null,
	shape_id integer not null,
	verified_age smallint,
	status "char" not null,
	content bytea,
	-- One row per path and scan: no file is stored twice, not even across a resumed scan.
	primary key (scan_id, path_no) with (fillfactor = 100)
) partition by list (scan_id);

comment on table treesum_entry is 'One row per entry per scan; one partition per scan';
comment on column treesum_entry.status is 'o ok, u unreadable, v vanished, c changed during read, e I/O error';
comment on column treesum_entry.content is 'A regular file''s digest, when it was read whole and did not change meanwhile; a symlink''s target';
comment on column treesum_entry.verified_age is 'Scans of the series since the digest was last verified by reading: 0 when this scan read it';

create table treesum_error (
	scan_id integer not null,
	path_no integer not null,
	message text not null,
	primary key (scan_id, path_no)
) partition by list (scan_id);

comment on table treesum_error is 'Why an entry could not be examined or read; one partition per scan';
