-- Reports: the questions an operator asks in the morning, as functions of two scans (a view
-- cannot take parameters) and views. Users call the same functions from psql.

alter table treesum_file add column carried_over boolean not null default false;

comment on column treesum_file.carried_over is 'Digest taken from the previous scan (--incremental): size, mtime, ctime and inode were unchanged, the content was not read';

alter table treesum_partition add column bytes_read bigint not null default 0;

comment on column treesum_partition.bytes_read is 'Bytes actually read to hash files; less than bytes when --incremental carried digests over';

-- The partition view gains the bytes actually read.
create or replace view treesum_partition_status as
select tp.scan_id,
	tp.name,
	tp.root,
	tp.mountpoint,
	tp.device,
	tp.fs_type,
	tp.source,
	tp.disk,
	tp.io_concurrency,
	tp.files,
	tp.bytes,
	tp.errors,
	coalesce(last.status, 'STARTING') as state,
	coalesce(runs.seconds, 0) as seconds,
	case when coalesce(runs.seconds, 0) > 0 then tp.files / runs.seconds end as files_per_second,
	case when coalesce(runs.seconds, 0) > 0 then tp.bytes / runs.seconds end as bytes_per_second,
	tp.bytes_read
from treesum_partition tp
join treesum_scan s on s.id = tp.scan_id
left join lateral (
	select sum(extract(epoch from (coalesce(se.end_time, se.last_updated) - se.start_time))) as seconds
	from batch_step_execution se
	join batch_job_execution e on e.job_execution_id = se.job_execution_id
	where e.job_instance_id = s.job_instance_id
		and se.step_name = 'mountStep:' || tp.name
) runs on true
left join lateral (
	select se.status
	from batch_step_execution se
	join batch_job_execution e on e.job_execution_id = se.job_execution_id
	where e.job_instance_id = s.job_instance_id
		and se.step_name = 'mountStep:' || tp.name
	order by se.step_execution_id desc
	limit 1
) last on true;

-- Duplicates: same digest and size within a scan.
create index treesum_file_digest on treesum_file (scan_id, digest, size) where kind = 'file' and digest is not null;

-- Errors: few rows, found without reading the scan.
create index treesum_file_errors on treesum_file (scan_id) where status <> 'ok';

-- The scan a change report compares with: the previous completed scan of the same roots
-- on the same host.
create function treesum_previous_scan(scan bigint) returns bigint
language sql stable as $$
	select max(p.scan_id)
	from treesum_scan_status s
	join treesum_scan_status p on p.host = s.host and p.roots_key = s.roots_key
	where s.scan_id = scan and p.scan_id < scan and p.state = 'COMPLETED'
$$;

-- What changed between a base scan and a later one, for regular files:
--   added, deleted: the path is only in one of them;
--   modified: the digest changed and so did the size or the modification time;
--   corrupted: the digest changed while size and modification time did not (bit rot, or a
--     write that restored the mtime);
--   moved: a deleted path's digest and size reappear at an added path, paired one to one.
-- Files whose digest is unknown in either scan (unreadable, changed during read) are
-- compared by size and modification time only.
create function treesum_changes(scan bigint, base bigint)
returns table (change text, path text, previous_path text, size bigint, previous_digest text, digest text)
language sql stable as $$
	with new_files as (
		select f.path, f.path_text, f.size, f.mtime_ns, f.digest
		from treesum_file f
		where f.scan_id = scan and f.kind = 'file'
	),
	old_files as (
		select f.path, f.path_text, f.size, f.mtime_ns, f.digest
		from treesum_file f
		where f.scan_id = base and f.kind = 'file'
	),
	added as (
		select n.*, row_number() over (partition by n.digest, n.size order by n.path) as rank
		from new_files n
		where not exists (select 1 from old_files o where o.path = n.path)
	),
	deleted as (
		select o.*, row_number() over (partition by o.digest, o.size order by o.path) as rank
		from old_files o
		where not exists (select 1 from new_files n where n.path = o.path)
	),
	moves as (
		select a.path as new_path, d.path as old_path, a.path_text, d.path_text as previous_path_text, a.size,
			d.digest as previous_digest, a.digest
		from added a
		join deleted d on d.digest = a.digest and d.size = a.size and d.rank = a.rank
		where a.digest is not null
	)
	select 'moved', m.path_text, m.previous_path_text, m.size, encode(m.previous_digest, 'hex'),
		encode(m.digest, 'hex')
	from moves m
	union all
	select 'added', a.path_text, null, a.size, null, encode(a.digest, 'hex')
	from added a
	where not exists (select 1 from moves m where m.new_path = a.path)
	union all
	select 'deleted', d.path_text, null, d.size, encode(d.digest, 'hex'), null
	from deleted d
	where not exists (select 1 from moves m where m.old_path = d.path)
	union all
	select case
			when n.digest is not null and o.digest is not null and n.digest <> o.digest
				and n.size = o.size and n.mtime_ns = o.mtime_ns then 'corrupted'
			else 'modified'
		end,
		n.path_text, null, n.size, encode(o.digest, 'hex'), encode(n.digest, 'hex')
	from new_files n
	join old_files o on o.path = n.path
	where (n.digest is not null and o.digest is not null and n.digest <> o.digest)
		or n.size is distinct from o.size
		or n.mtime_ns is distinct from o.mtime_ns
$$;

-- Groups of regular files with the same digest and size. Hard links to one inode are one
-- file (the first of their paths stands for them), so a group needs two distinct inodes.
create function treesum_duplicates(scan bigint, include_empty boolean default false)
returns table ("group" bigint, digest text, size bigint, path text)
language sql stable as $$
	with files as (
		select distinct on (f.digest, f.size, f.device, f.inode) f.digest, f.size, f.path, f.path_text
		from treesum_file f
		where f.scan_id = scan and f.kind = 'file' and f.digest is not null
			and (include_empty or f.size > 0)
		order by f.digest, f.size, f.device, f.inode, f.path
	),
	groups as (
		select f.digest, f.size
		from files f
		group by f.digest, f.size
		having count(*) > 1
	),
	numbered as (
		select g.digest, g.size, dense_rank() over (order by g.size desc, g.digest) as "group"
		from groups g
	)
	select n."group", encode(n.digest, 'hex'), n.size, f.path_text
	from numbered n
	join files f on f.digest = n.digest and f.size = n.size
	order by n."group", f.path
$$;

-- What could not be hashed, and why.
create view treesum_errors as
select f.scan_id, f.path_text as path, f.status, f.error, f.kind, f.partition_name
from treesum_file f
where f.status <> 'ok';

alter table treesum_scan add column pruned_at timestamptz;

comment on column treesum_scan.pruned_at is 'When prune dropped the scan''s file rows';

alter table treesum_scan add column incremental boolean not null default false;

comment on column treesum_scan.incremental is 'Unchanged files took the previous scan''s digest unread (--incremental)';
