// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import "IInft.sol";

/// A contract that holds AI agents as iNFTs through zerog's iNFT precompile: its keeper
/// mints agents, lets users use them, and sells them with the oracle's and the buyer's
/// proofs. The vault's own balance pays the deposits.
contract AgentVault {
    IInft constant INFT = IInft(INFT_ADDRESS);

    /// Who may act for the vault.
    address public immutable keeper;
    /// The last token the vault minted.
    uint256 public lastToken;

    event AgentMinted(uint256 indexed tokenId);

    modifier onlyKeeper() {
        require(msg.sender == keeper, "AgentVault: not the keeper");
        _;
    }

    constructor() payable {
        keeper = msg.sender;
    }

    receive() external payable {}

    /// Mints an agent with one encrypted data item, owned by the vault.
    function mintAgent(string calldata description, bytes32 dataHash, bytes calldata sealedKey, string calldata uri)
        external
        onlyKeeper
        returns (uint256 tokenId)
    {
        IInft.MintItem[] memory items = new IInft.MintItem[](1);
        items[0] = IInft.MintItem(description, dataHash);
        tokenId = INFT.mint(items, sealedKey, uri);
        lastToken = tokenId;
        emit AgentMinted(tokenId);
    }

    /// Lets `user` use an agent of the vault.
    function authorize(uint256 tokenId, address user) external onlyKeeper {
        INFT.authorizeUsage(tokenId, user);
    }

    /// Sells an agent to `buyer` with the proofs for its data.
    function sell(uint256 tokenId, address buyer, IInft.TransferProof[] calldata proofs) external onlyKeeper {
        INFT.transfer(tokenId, buyer, proofs);
    }

    /// Whether `user` may use the agent: its owner or an authorized user (read back through
    /// the precompile).
    function mayUse(uint256 tokenId, address user) external view returns (bool) {
        return INFT.ownerOf(tokenId) == user || INFT.isAuthorized(tokenId, user);
    }

    /// Tries to mint from a static call, which must fail: returns whether it succeeded.
    function mintInStaticCall() external view returns (bool succeeded) {
        IInft.MintItem[] memory items = new IInft.MintItem[](0);
        (succeeded,) = address(INFT).staticcall(abi.encodeCall(IInft.mint, (items, bytes(""), "")));
    }
}
