// The agent-style code the demo runs: it joins files read through one MCP server with weather from the
// other, inside the ATP sandbox, and returns a few rows instead of ~460 lines of CSV.
export function salesByWeatherSnippet(dataDir: string): string {
  return `
const dir = ${JSON.stringify(dataDir)};
const parseCsv = (text) => {
  const [header, ...lines] = text.trim().split('\\n');
  const keys = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, i) => [keys[i], value])));
};

const stores = parseCsv((await api.files.read_text_file({ path: dir + '/stores.csv' })).content);
const listing = (await api.files.list_directory({ path: dir + '/sales' })).content;
const months = listing.split('\\n').filter((line) => line.startsWith('[FILE]') && line.endsWith('.csv')).map((line) => line.slice(7));
const files = await Promise.all(months.map((name) => api.files.read_text_file({ path: dir + '/sales/' + name })));
const sales = files.flatMap((file) => parseCsv(file.content));

const cities = [...new Set(stores.map((store) => store.city))];
const weather = Object.fromEntries(
  await Promise.all(cities.map(async (city) => [city, await api.everything.get_structured_content({ location: city })])),
);

const cityOf = Object.fromEntries(stores.map((store) => [store.store, store.city]));
const byCity = {};
for (const row of sales) {
  const city = cityOf[row.store];
  byCity[city] ??= { city, stores: stores.filter((s) => s.city === city).length, orders: 0, revenue: 0 };
  byCity[city].orders += Number(row.orders);
  byCity[city].revenue += Number(row.revenue);
}
const rows = Object.values(byCity)
  .map((row) => ({ ...row, conditions: weather[row.city].conditions, temperature: weather[row.city].temperature }))
  .sort((a, b) => b.revenue - a.revenue);
atp.log.info('joined ' + sales.length + ' sales rows from ' + months.length + ' files with weather for ' + cities.length + ' cities');
const charactersRead = files.reduce((total, file) => total + file.content.length, 0);
return { months, salesRows: sales.length, charactersRead, byCity: rows };
`;
}
