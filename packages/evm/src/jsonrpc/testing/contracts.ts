/**
 * Test-only Solidity contracts for the live anvil scenario, compiled offline with the npm `solc` package.
 * - Forwarder: forwards ETH internally (also through a failing child whose value does not move), self-destructs.
 * - Sink: reverts on receiving ETH (the failing child).
 * - Token: a minimal ERC-20 with configurable symbol and decimals.
 * - NoMeta: an ERC-20-like token without decimals() and symbol().
 */
import { createRequire } from 'node:module';

export const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Sink {
  receive() external payable { revert("no"); }
}

contract Forwarder {
  constructor() payable {}
  receive() external payable {}
  function forward(address payable to) external payable {
    (bool ok, ) = to.call{value: msg.value}("");
    require(ok, "forward failed");
  }
  // Tries to send 1 wei to a sink that reverts (that frame errors: value does not move), then forwards the rest.
  function tryBoth(address payable sink, address payable to) external payable {
    (bool ok1, ) = sink.call{value: 1}("");
    ok1;
    (bool ok2, ) = to.call{value: msg.value - 1}("");
    require(ok2, "forward failed");
  }
  function fail() external payable { revert("always"); }
  function destroy(address payable to) external { selfdestruct(to); }
}

contract Token {
  string public symbol;
  uint8 public decimals;
  mapping(address => uint256) public balanceOf;
  event Transfer(address indexed from, address indexed to, uint256 value);
  constructor(string memory s, uint8 d, uint256 supply) {
    symbol = s; decimals = d; balanceOf[msg.sender] = supply;
    emit Transfer(address(0), msg.sender, supply);
  }
  function transfer(address to, uint256 v) external returns (bool) {
    require(balanceOf[msg.sender] >= v, "balance");
    balanceOf[msg.sender] -= v; balanceOf[to] += v;
    emit Transfer(msg.sender, to, v);
    return true;
  }
}

contract NoMeta {
  mapping(address => uint256) public balanceOf;
  event Transfer(address indexed from, address indexed to, uint256 value);
  constructor(uint256 supply) { balanceOf[msg.sender] = supply; }
  function transfer(address to, uint256 v) external returns (bool) {
    require(balanceOf[msg.sender] >= v, "balance");
    balanceOf[msg.sender] -= v; balanceOf[to] += v;
    emit Transfer(msg.sender, to, v);
    return true;
  }
}
`;

export interface Compiled {
  abi: unknown[];
  bytecode: string;
}

/** Compiles {@link SOURCE} (Paris EVM: no PUSH0 surprises) → contract name → ABI and creation bytecode. */
export function compileContracts(): Record<string, Compiled> {
  const require = createRequire(import.meta.url);
  const solc = require('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { 'Scenario.sol': { content: SOURCE } },
    settings: { evmVersion: 'paris', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const out: Record<string, Compiled> = {};
  for (const [name, c] of Object.entries(output.contracts['Scenario.sol'] ?? {})) {
    out[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  }
  return out;
}
