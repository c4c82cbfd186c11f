// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.0;

// zerog's iNFT registry (pallet-inft) as seen from Solidity: a pallet-revive precompile.
// The address is fixed: bytes 16-17 hold 0x7857 (after ERC-7857).
address constant INFT_ADDRESS = 0x0000000000000000000000000000000078570000;

/// Intelligent NFTs with ERC-7857 semantics whose transfer proofs are verified on chain.
///
/// The caller is `msg.sender`'s account (an EOA's or a contract's). Deposits are held from it
/// in the native currency, so a contract that mints needs a balance. Accounts are named by
/// address, except oracles, which are named by their 32-byte account id (`accountOf` gives
/// the account id of an address). A call that fails reverts with `Error(string)`, the
/// string being `inft: <pallet error>` (for example `inft: BadAccessProof`).
interface IInft {
    /// One data item given at mint: a public description and the hash of the encrypted data.
    struct MintItem {
        string description;
        bytes32 dataHash;
    }

    /// One data item of a token.
    struct DataItem {
        string description;
        bytes32 dataHash;
        /// The data key sealed to the current owner.
        bytes sealedKey;
    }

    /// The proofs for one data item of a transfer or clone.
    struct TransferProof {
        /// The oracle's account id (for an Ethereum key: `accountOf(oracleAddress)`).
        bytes32 oracle;
        /// Hash of the data re-encrypted for the receiver.
        bytes32 newDataHash;
        /// The data key sealed to the receiver.
        bytes newSealedKey;
        /// The receiver's public encryption key.
        bytes receiverKey;
        /// The oracle's signature over `ownershipMessage(...)`: exactly 65 bytes for an
        /// Ethereum `personal_sign` of `keccak256(message)`; for a Substrate key,
        /// `0x00 ++ SCALE(MultiSignature)` (pallet-inft's SCALE `ProofSignature`).
        bytes ownershipSignature;
        /// The receiver's (or its assistant's) signature over `accessMessage(...)`, in the
        /// same two forms.
        bytes accessSignature;
    }

    /// ERC-721 style: `from` is zero at mint, `to` is zero at burn.
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// `tokenId` was cloned into `newTokenId`, owned by `to`.
    event Cloned(uint256 indexed tokenId, uint256 indexed newTokenId, address indexed to);
    /// The data keys of `tokenId`, sealed to its new owner `to`.
    event PublishedSealedKey(address indexed to, uint256 indexed tokenId, bytes[] sealedKeys);
    /// The owner `from` authorized `to` to use `tokenId`.
    event Authorization(address indexed from, address indexed to, uint256 indexed tokenId);
    /// The owner `from` revoked the authorization of `to`.
    event AuthorizationRevoked(address indexed from, address indexed to, uint256 indexed tokenId);
    /// `user` delegated its access proofs to `assistant` (zero: removed).
    event DelegateAccess(address indexed user, address indexed assistant);

    /// Mints a token owned by the caller; holds the token deposit. Returns its id.
    function mint(MintItem[] calldata data, bytes calldata sealedKey, string calldata uri)
        external returns (uint256 tokenId);
    /// Transfers `tokenId` to `to` with one proof per data item (none for a token without data).
    function transfer(uint256 tokenId, address to, TransferProof[] calldata proofs) external;
    /// Clones `tokenId` for `to` with the same proofs as a transfer; the caller pays the new
    /// token's deposit. Returns the new token's id.
    function clone(uint256 tokenId, address to, TransferProof[] calldata proofs)
        external returns (uint256 newTokenId);
    /// Authorizes `user` to use `tokenId` (owner only); holds an authorization deposit.
    function authorizeUsage(uint256 tokenId, address user) external;
    /// Revokes `user`'s authorization (owner only).
    function revokeAuthorization(uint256 tokenId, address user) external;
    /// Lets `assistant` sign access proofs for the caller; the zero address removes it.
    function delegateAccess(address assistant) external;
    /// Burns `tokenId` (owner only) and returns the deposits.
    function burn(uint256 tokenId) external;

    /// The owner of `tokenId`; reverts for an unknown token.
    function ownerOf(uint256 tokenId) external view returns (address);
    /// The data items of `tokenId`.
    function dataOf(uint256 tokenId) external view returns (DataItem[] memory);
    /// The metadata URI of `tokenId`.
    function tokenURI(uint256 tokenId) external view returns (string memory);
    /// The nonce the next transfer's or clone's proofs of `tokenId` must sign.
    function nonceOf(uint256 tokenId) external view returns (uint64);
    /// Whether the owner authorized `user` to use `tokenId`.
    function isAuthorized(uint256 tokenId, address user) external view returns (bool);
    /// The users authorized to use `tokenId`.
    function authorizedUsersOf(uint256 tokenId) external view returns (address[] memory);
    /// The assistant `user` delegated to (zero if none).
    function assistantOf(address user) external view returns (address);
    /// The 32-byte account id of `addr`, as the chain sees it.
    function accountOf(address addr) external view returns (bytes32);
    /// The chain's genesis hash, which every proof message includes.
    function genesisHash() external view returns (bytes32);
    /// The bytes an oracle signs for one data item.
    function ownershipMessage(
        uint256 tokenId,
        bytes32 oldDataHash,
        bytes32 newDataHash,
        bytes calldata newSealedKey,
        bytes calldata receiverKey,
        uint64 nonce
    ) external view returns (bytes memory);
    /// The bytes the receiver (or its assistant) signs for one data item.
    function accessMessage(uint256 tokenId, bytes32 newDataHash, bytes calldata receiverKey, uint64 nonce)
        external view returns (bytes memory);
}
