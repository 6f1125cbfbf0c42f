-- treesum's own tables. A scan is one Spring Batch job instance; a partition is one root
-- (later: one mounted file system); a file row is one directory entry of one scan.

create table treesum_scan (
	id bigint generated always as identity primary key,
	host text not null,
	roots text[] not null,
	algorithm text not null,
	excludes text[] not null default '{}',
	job_instance_id bigint unique references batch_job_instance (job_instance_id),
	created_at timestamptz not null default now()
);

comment on table treesum_scan is 'One scan of a set of roots on a host; resumed scans keep their id';

create table treesum_partition (
	scan_id bigint not null references treesum_scan (id) on delete cascade,
	name text not null,
	root text not null,
	files bigint not null default 0,
	bytes bigint not null default 0,
	errors bigint not null default 0,
	primary key (scan_id, name)
);

comment on table treesum_partition is 'Per partition totals, updated in the same transaction as each chunk of file rows';

create table treesum_file (
	scan_id bigint not null references treesum_scan (id) on delete cascade,
	partition_name text not null,
	path bytea not null,
	path_text text not null,
	kind text not null,
	status text not null,
	size bigint,
	mtime_ns bigint,
	ctime_ns bigint,
	inode bigint,
	device bigint,
	links integer,
	digest bytea,
	link_target bytea,
	error text,
	-- A bug can never store a file twice, not even across a resumed scan.
	primary key (scan_id, path)
);

comment on column treesum_file.path is 'The exact bytes of the absolute path; the identity of a file';
comment on column treesum_file.path_text is 'Readable form: UTF-8 as is, bytes of invalid sequences as \xNN';
comment on column treesum_file.status is 'ok, unreadable, vanished, changed-during-read or io-error';
comment on column treesum_file.digest is 'Null unless a regular file was read whole and did not change meanwhile';

-- Every scan at a glance: what status and export read, and what analysts start from.
create view treesum_scan_status as
select s.id as scan_id,
	s.host,
	s.roots,
	s.algorithm,
	coalesce(last.status, 'STARTING') as state,
	coalesce(runs.attempts, 0) as attempts,
	coalesce(p.partitions, 0) as partitions,
	coalesce(p.partitions_done, 0) as partitions_done,
	coalesce(p.files, 0) as files,
	coalesce(p.bytes, 0) as bytes,
	coalesce(p.errors, 0) as errors,
	s.created_at,
	runs.first_start as started_at,
	last.end_time as ended_at,
	last.exit_message
from treesum_scan s
left join lateral (
	select count(*) as attempts, min(e.start_time) as first_start
	from batch_job_execution e
	where e.job_instance_id = s.job_instance_id
) runs on true
left join lateral (
	select e.status, e.end_time, e.exit_message
	from batch_job_execution e
	where e.job_instance_id = s.job_instance_id
	order by e.job_execution_id desc
	limit 1
) last on true
left join lateral (
	select count(*) as partitions,
		count(*) filter (where exists (
			select 1
			from batch_step_execution se
			join batch_job_execution e on e.job_execution_id = se.job_execution_id
			where e.job_instance_id = s.job_instance_id
				and se.step_name = 'mountStep:' || tp.name
				and se.status = 'COMPLETED')) as partitions_done,
		sum(tp.files) as files,
		sum(tp.bytes) as bytes,
		sum(tp.errors) as errors
	from treesum_partition tp
	where tp.scan_id = s.id
) p on true;
