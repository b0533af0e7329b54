// A route's hops as a tree: most routes are a chain (alice's c2s, a→b, bob's c2s) and stay a
// plain list; where a server copies the stanza (a presence to each contact, a room's message to
// each occupant) each copy goes on its own branch, under the hop it continues (hop.after).

/** The hops in tree order, each with the prefix (├ │ └) that draws its branch. */
export function routeRows(hops) {
  const children = hops.map(() => []);
  const roots = [];
  hops.forEach((hop, i) => {
    if (hop.after !== null && hop.after !== undefined && hop.after >= 0 && hop.after < i) children[hop.after].push(i);
    else roots.push(i);
  });
  const rows = [];
  const visit = (i, prefix, connector, fanned) => {
    rows.push({index: i, hop: hops[i], prefix: prefix + connector});
    const kids = children[i];
    const fan = fanned || kids.length > 1;  // below a fork every hop is on a branch; a chain stays flat
    const under = prefix + (connector === '├ ' ? '│ ' : connector === '└ ' ? '  ' : '');
    kids.forEach((k, j) => visit(k, fan ? under : prefix, fan ? (j === kids.length - 1 ? '└ ' : '├ ') : '', fan));
  };
  for (const r of roots) visit(r, '', '', false);
  return rows;
}
