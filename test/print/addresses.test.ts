import { describe, expect, test } from 'vitest';
import { printedAddress, resolvedAddress } from '../../site/print/addresses.ts';

const PAGE = 'http://192.168.1.20:8000/opslab/articles/syn-queue/';

describe('the address a printed link shows', () => {
  test('a link to a state resolves against the page, whatever state the address bar holds now', () => {
    const href = '?scenario=fastmail-2002&t=40#sim';
    const expected = 'http://192.168.1.20:8000/opslab/articles/syn-queue/?scenario=fastmail-2002&t=40#sim';
    expect(printedAddress(href, PAGE)).toBe(expected);
    expect(printedAddress(href, `${PAGE}?scenario=busy-hour&backlog=64#fig-outage`)).toBe(expected);
  });

  test('a relative link to another page keeps the server and the sub-path the page was read from', () => {
    expect(printedAddress('../../labs/syn-queue/', PAGE)).toBe('http://192.168.1.20:8000/opslab/labs/syn-queue/');
  });

  test('a page opened from a file prints addresses in that folder', () => {
    expect(printedAddress('../../labs/syn-queue/index.html', 'file:///home/me/opslab/articles/syn-queue/index.html')).toBe('file:///home/me/opslab/labs/syn-queue/index.html');
  });

  test('a link to a place on the same page (a source number) prints no address', () => {
    expect(printedAddress('#source-kernel', PAGE)).toBeNull();
    expect(printedAddress('', PAGE)).toBeNull();
  });

  test("the workbench's own fragment names the page itself, without the state in the address bar", () => {
    expect(resolvedAddress('#sim', `${PAGE}?scenario=slow-app`)).toBe(`${PAGE}#sim`);
  });
});
