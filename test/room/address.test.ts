import { describe, expect, test } from 'vitest';
import { addressProblem, siteRoot, typedRoomAddress } from '../../site/room/address.ts';

const LOCAL_PAGE = 'http://127.0.0.1:4321/opslab/room/';

describe('whether the room can use the page’s own address', () => {
  test.each([
    ['http://localhost:8000/room/', 'loopback'],
    ['http://LOCALHOST:8000/room/', 'loopback'],
    ['http://app.localhost/room/', 'loopback'],
    ['http://127.0.0.1:8000/room/', 'loopback'],
    ['http://127.1.2.3/room/', 'loopback'],
    ['http://[::1]:8000/room/', 'loopback'],
    ['http://0.0.0.0:8000/room/', 'unspecified'],
    ['file:///home/me/opslab/room/index.html', 'file'],
  ])('%s cannot be shared: %s', (href, problem) => {
    expect(addressProblem(new URL(href))).toBe(problem);
  });

  test.each([['http://192.168.1.20:8000/room/'], ['http://laptop.local:8000/room/'], ['https://opslab.example.org/room/'], ['http://[fe80::1]:8000/room/']])('%s can be shared', (href) => {
    expect(addressProblem(new URL(href))).toBeNull();
  });
});

describe("the site's root, from the room page", () => {
  test('is one level up, under any sub-path, without the query or fragment', () => {
    expect(siteRoot('http://192.168.1.20:8000/opslab/room/?x=1#join').href).toBe('http://192.168.1.20:8000/opslab/');
  });

  test("is the unpacked archive's folder for a page opened from a file", () => {
    expect(siteRoot('file:///home/me/opslab/room/index.html').href).toBe('file:///home/me/opslab/');
  });
});

describe('the address the instructor types', () => {
  test("takes the page's port and sub-path when it names only the machine", () => {
    expect(typedRoomAddress('192.168.1.20', LOCAL_PAGE)?.href).toBe('http://192.168.1.20:4321/opslab/');
  });

  test('keeps a port and a path that are typed', () => {
    expect(typedRoomAddress(' 192.168.1.20:8000 ', LOCAL_PAGE)?.href).toBe('http://192.168.1.20:8000/opslab/');
    expect(typedRoomAddress('http://10.0.0.5:9000/labs/', LOCAL_PAGE)?.href).toBe('http://10.0.0.5:9000/labs/');
  });

  test('from a page opened from a file, defaults to the port of the serving commands and the root of the served folder', () => {
    expect(typedRoomAddress('192.168.1.20', 'file:///home/me/opslab/room/index.html')?.href).toBe('http://192.168.1.20:8000/');
  });

  test.each([[''], ['   '], ['localhost:8000'], ['127.0.0.1'], ['0.0.0.0:8000'], ['192.168.1.20 8000'], ['ftp://192.168.1.20/'], ['http://']])('refuses %j, which no other device could open', (typed) => {
    expect(typedRoomAddress(typed, LOCAL_PAGE)).toBeNull();
  });
});
