/**
 * The SSH forwarding lesson in Chromium, as the issue asks: type a command
 * line into the terminal, step through the walk, and see OpenSSH's own
 * message for the occupied port; a command that does not parse shows ssh's
 * own complaint; and the typed command is in the link.
 */
import { expect, test } from 'vitest';
import { site } from './built-site.ts';
import { openPage, waitReady, useBrowser } from './chromium.ts';

const SHOTS = 'test/output/screenshots';
const browser = useBrowser();

test('typing a forward onto the occupied port 5900 and stepping shows ssh’s bind failure', async () => {
  const w = await openPage(browser(), site);
  await w.page.goto(`${site}articles/ssh-forwarding/?scenario=vnc-desktop1&laptopVnc=1&t=0`);
  await waitReady(w.page);
  const command = w.page.locator('#sim .terminal input[data-param-input=command]');
  await command.fill('ssh -N -L 5900:localhost:5900 me@home.example.net');
  await command.press('Enter');
  await w.page.waitForFunction(() => new URL(location.href).searchParams.get('command')?.includes('5900:localhost:5900'));

  // Step forward with the keyboard until the step that fails to bind.
  await w.page.locator('ops-player#sim').focus();
  await w.page.keyboard.press('Home');
  const detail = w.page.locator('#sim [data-role=inspect-detail]');
  // Each step shows in the panel as the cursor reaches it: collect them until ssh gives up on the forward.
  const seen: string[] = [];
  for (let k = 0; k < 12 && !seen.some((d) => d.includes('Could not request local forwarding.')); k++) {
    await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction((n) => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith(`${n} ${n === 1 ? 'step' : 'steps'} /`), k + 1);
    seen.push((await detail.textContent()) ?? '');
  }
  const bindSteps = seen.filter((d) => d.includes('Address already in use'));
  // Both loopbacks fail, but ssh prints a failed bind only for the last address it tries: the ::1 step shows no line.
  expect(bindSteps.map((d) => /bind \[[^\]]+\]:5900: Address already in use/.exec(d)?.[0] ?? null)).toEqual([null, 'bind [127.0.0.1]:5900: Address already in use']);
  expect(bindSteps[0]).toContain('[::1]:5900');
  expect(seen.join('\n')).toContain('channel_setup_fwd_listener_tcpip: cannot listen to port: 5900');
  expect(seen.at(-1)).toContain('Could not request local forwarding.');
  await w.page.locator('ops-player#sim').screenshot({ path: `${SHOTS}/ssh-forwarding-port-in-use.png` });

  // A command ssh itself would refuse: its own message, and nothing else happens.
  await command.fill('ssh -L 5901:localhost me@home.example.net');
  await command.press('Enter');
  await w.page.waitForFunction(() => document.querySelector('#sim [data-role=inspect-detail]')?.textContent?.includes('Bad local forwarding specification'));
  await expect(detail.textContent()).resolves.toBe("Bad local forwarding specification '5901:localhost'");
  expect(w.errors).toEqual([]);
  expect(w.outside).toEqual([]);
  await w.context.close();
});

test('the map follows the walk: the host where each step happens, the path it takes, and the listeners as they open', async () => {
  for (const [width, height] of [[1280, 900], [360, 740]] as const) {
    const w = await openPage(browser(), site, { width, height });
    await w.page.goto(`${site}articles/ssh-forwarding/?scenario=vnc-desktop2-via-desktop1&t=0`);
    await waitReady(w.page);
    const map = w.page.locator('#sim [data-role=picture] svg.netmap');
    const focus = () => map.locator('g.host.focus').getAttribute('data-host');
    const words = () => w.page.locator('#sim [data-role=picture-text]').textContent();
    await w.page.locator('ops-player#sim').focus();
    // Step 2: ssh's TCP connection crosses the router's port forward to desktop1.
    for (let k = 1; k <= 2; k++) {
      await w.page.keyboard.press('ArrowRight');
      await w.page.waitForFunction((n) => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith(`${n} ${n === 1 ? 'step' : 'steps'} /`), k);
    }
    expect(await focus()).toBe('laptop');
    await expect(words()).resolves.toContain('It sends a TCP connection: laptop → router → desktop1.');
    expect(await map.locator('.path.kind-tcp.current').count()).toBe(1);
    // Step 8: four listeners on the laptop, drawn on it; the SSH connection is the pipe.
    for (let k = 3; k <= 8; k++) await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith('8 steps'));
    await expect(map.locator('g.host[data-host=laptop] .listening').allTextContents()).resolves.toEqual(['[::1]:5901 -L', '127.0.0.1:5901 -L', '[::1]:5902 -L', '127.0.0.1:5902 -L']);
    expect(await map.locator('.path.kind-session').count()).toBe(1);
    // Step 13: desktop1 makes the far connection to desktop2, and the map says so in words too.
    for (let k = 9; k <= 13; k++) await w.page.keyboard.press('ArrowRight');
    await w.page.waitForFunction(() => document.querySelector('#sim [data-role=clock]')?.textContent?.startsWith('13 steps'));
    expect(await focus()).toBe('desktop1');
    await expect(words()).resolves.toContain('desktop1 → desktop2');
    await expect(map.locator('desc').textContent()).resolves.toBe(await words());
    await w.page.locator('#sim .picture-figure').screenshot({ path: `${SHOTS}/ssh-forwarding-map-${width}.png` });
    // Nothing on the map sticks out of the page on a phone.
    expect(await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(w.errors).toEqual([]);
    await w.context.close();
  }
});

test('a typed -R puts sshd’s listeners on desktop1 in the map', async () => {
  const w = await openPage(browser(), site);
  await w.page.goto(`${site}articles/ssh-forwarding/?scenario=vnc-desktop1`);
  await waitReady(w.page);
  const command = w.page.locator('#sim .terminal input[data-param-input=command]');
  await command.fill('ssh -N -R 8080:www.example.org:80 me@home.example.net');
  await command.press('Enter');
  await w.page.waitForFunction(() => new URL(location.href).searchParams.get('command')?.includes('-R'));
  await w.page.locator('ops-player#sim').focus();
  await w.page.keyboard.press('End');
  const listening = w.page.locator('#sim [data-role=picture] g.host[data-host=desktop1] .listening');
  await expect(listening.allTextContents()).resolves.toEqual(['[::1]:8080 -R', '127.0.0.1:8080 -R']);
  expect(await w.page.locator('#sim [data-role=picture] g.host[data-host=laptop] .listening').count()).toBe(0);
  expect(w.errors).toEqual([]);
  await w.context.close();
});

test('while the walk plays a packet travels the step’s path; paused, or with reduced motion, there is none', async () => {
  for (const reducedMotion of ['no-preference', 'reduce'] as const) {
    const w = await openPage(browser(), site, { reducedMotion });
    await w.page.goto(`${site}articles/ssh-forwarding/?scenario=vnc-desktop2-via-desktop1&t=0`);
    await waitReady(w.page);
    const dot = w.page.locator('#sim [data-role=picture] circle.packet');
    await w.page.locator('#sim button[data-act=play]').click();
    // Step 2 is ssh's connection through the router: a path with length to travel.
    await w.page.waitForFunction(() => /^1\.\d/.test(document.querySelector('#sim [data-role=clock]')?.textContent ?? ''));
    if (reducedMotion === 'reduce') {
      expect(await dot.getAttribute('visibility')).toBe('hidden');
    } else {
      await w.page.waitForFunction(() => document.querySelector('#sim [data-role=picture] circle.packet')?.getAttribute('visibility') === 'visible');
      const at = async () => [await dot.getAttribute('cx'), await dot.getAttribute('cy')].join(',');
      const first = await at();
      await w.page.waitForFunction((p) => {
        const c = document.querySelector('#sim [data-role=picture] circle.packet');
        return c !== null && `${c.getAttribute('cx')},${c.getAttribute('cy')}` !== p;
      }, first);
    }
    await w.page.locator('#sim button[data-act=play]').click();
    await w.page.waitForFunction(() => document.querySelector('ops-player#sim')?.getAttribute('data-playing') === 'false');
    expect(await dot.count() === 0 || (await dot.getAttribute('visibility')) === 'hidden').toBe(true);
    expect(w.errors).toEqual([]);
    await w.context.close();
  }
});
