create table if not exists orders (
    id bigserial primary key,
    sku text not null,
    quantity int not null check (quantity > 0),
    total numeric(12, 2) not null,
    created_at timestamptz not null default now()
);
create table if not exists stock (
    sku text primary key,
    on_hand int not null,
    reserved int not null default 0
);
insert into stock (sku, on_hand) values ('A-1', 1000), ('B-2', 5) on conflict (sku) do nothing;
