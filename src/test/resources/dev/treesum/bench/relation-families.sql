-- The bytes of every relation (all forks), each counted once under the table it belongs to:
-- an index under its table, a TOAST table and its index under the table they hold values of,
-- a partition under its partitioned table. Works for any schema layout.
with r as (
  select case when c.relkind in ('i', 'I') then i.indrelid else c.oid end as tbl,
    pg_relation_size(c.oid, 'main') + pg_relation_size(c.oid, 'fsm')
      + pg_relation_size(c.oid, 'vm') + pg_relation_size(c.oid, 'init') as bytes
  from pg_class c left join pg_index i on i.indexrelid = c.oid
  where c.relkind in ('r', 'p', 'i', 'I', 't', 'm') and not c.relisshared
), o as (
  select r.bytes, coalesce((select t.oid from pg_class t where t.reltoastrelid = r.tbl), r.tbl) as owner
  from r
), f as (
  select o.bytes, coalesce(pg_partition_root(o.owner), o.owner) as root from o
)
select n.nspname, c.relname, sum(f.bytes)::bigint
from f join pg_class c on c.oid = f.root join pg_namespace n on n.oid = c.relnamespace
group by n.nspname, c.relname
