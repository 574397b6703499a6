// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// A toy fixed-denomination mixer: deposit with a commitment (keccak256 of a secret), withdraw later to any address
/// by revealing the secret. Usually a relayer sends the withdrawal so the recipient needs no gas. No zero knowledge:
/// the secret links deposit and withdrawal for anyone who reads the calldata.
contract Mixer {
    uint256 public immutable denomination;
    mapping(bytes32 => bool) public deposited;
    mapping(bytes32 => bool) public withdrawn;

    event Deposit(bytes32 indexed commitment, address indexed from, uint256 timestamp);
    event Withdrawal(address indexed to, bytes32 indexed commitment, address indexed relayer);

    constructor(uint256 denomination_) {
        denomination = denomination_;
    }

    function deposit(bytes32 commitment) external payable {
        require(msg.value == denomination, "Mixer: wrong amount");
        require(!deposited[commitment], "Mixer: commitment used");
        deposited[commitment] = true;
        emit Deposit(commitment, msg.sender, block.timestamp);
    }

    function withdraw(address payable recipient, bytes32 secret) external {
        bytes32 commitment = keccak256(abi.encodePacked(secret));
        require(deposited[commitment], "Mixer: unknown commitment");
        require(!withdrawn[commitment], "Mixer: already withdrawn");
        withdrawn[commitment] = true;
        (bool ok, ) = recipient.call{value: denomination}("");
        require(ok, "Mixer: send failed");
        emit Withdrawal(recipient, commitment, msg.sender);
    }
}
